import { connect, type Socket } from "node:net";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config/config-file.js";
import { createPipeline, type Pipeline } from "../src/pipeline/pipeline.js";
import type { ServeConfigInput } from "../src/serve/config.js";
import { createServer, type PairliftServer } from "../src/serve/server.js";
import type { OpenIndex } from "../src/store/index-store.js";
import { buildCatalogueIndex, testSettings } from "./support/serve-fixtures.js";

/**
 * How the service ends and what it tolerates from clients, over raw sockets on 127.0.0.1: a
 * body that never finishes arriving, and requests on keep-alive connections during shutdown.
 */
const tmp = await mkdtemp(join(tmpdir(), "pairlift-serve-edges-"));
let index: OpenIndex;
let bm25: Pipeline;
const started: PairliftServer[] = [];
const sockets: Socket[] = [];

beforeAll(async () => {
  index = await buildCatalogueIndex(tmp);
  bm25 = await createPipeline("bm25", { index, config: await loadConfig() });
});
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await Promise.all(started.splice(0).map((server) => server.close()));
});
afterAll(() => rm(tmp, { recursive: true, force: true }));

async function start(
  settings: ServeConfigInput,
): Promise<{ server: PairliftServer; port: number }> {
  const server = createServer({
    settings: testSettings(settings),
    load: () =>
      Promise.resolve({
        index,
        pipelines: new Map([["bm25", bm25]]),
        defaultPipeline: "bm25",
        close: () => Promise.resolve(),
      }),
  });
  started.push(server);
  const url = await server.start({ port: 0 });
  return { server, port: Number(new URL(url).port) };
}

/** A raw connection that collects what the server sends, and whether it closed. */
async function open(port: number) {
  const socket = connect(port, "127.0.0.1");
  sockets.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("error", reject);
  });
  const state = { received: "", closed: false, error: undefined as Error | undefined };
  socket.on("data", (chunk: Buffer) => (state.received += chunk.toString()));
  socket.on("error", (error) => (state.error = error));
  socket.on("close", () => (state.closed = true));
  return { socket, state };
}

function searchRequest(body: string, extra = ""): string {
  return (
    `POST /search HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\n${extra}\r\n${body}`
  );
}

describe("serve: the edges of a connection", () => {
  it("answers 408 and closes a connection whose body stops arriving", async () => {
    const { port } = await start({ limits: { bodyTimeoutMs: 200 } });
    const { socket, state } = await open(port);
    // Announces 40 bytes, sends 10, then nothing.
    socket.write(
      "POST /search HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 40\r\n\r\n" +
        '{"query":',
    );
    await expect.poll(() => state.closed, { timeout: 15_000 }).toBe(true);
    expect(state.received).toMatch(/^HTTP\/1\.1 408 /);
    // The service still answers everyone else.
    const other = await open(port);
    other.socket.write(searchRequest('{"query":"drill"}'));
    await expect.poll(() => other.state.received).toMatch(/^HTTP\/1\.1 200 /);
  });

  it("a whole body sent slowly within the limit is answered", async () => {
    const { port } = await start({ limits: { bodyTimeoutMs: 10_000 } });
    const { socket, state } = await open(port);
    const request = searchRequest('{"query":"drill"}');
    socket.write(request.slice(0, 20));
    await new Promise((resolve) => setTimeout(resolve, 50));
    socket.write(request.slice(20));
    await expect.poll(() => state.received).toMatch(/^HTTP\/1\.1 200 /);
  });

  it("during shutdown, a request on an open keep-alive connection gets 503 and Connection: close, not a reset", async () => {
    const { server, port } = await start({ shutdownGraceMs: 10_000 });
    const { socket, state } = await open(port);
    socket.write(searchRequest('{"query":"drill"}'));
    await expect.poll(() => state.received).toMatch(/^HTTP\/1\.1 200 [\s\S]*\r\n\r\n\{/);
    expect(state.received).toMatch(/connection: keep-alive/i);
    state.received = "";
    const closed = server.close();
    // New connections are refused at once…
    await expect.poll(() => server.app.server.listening).toBe(false);
    await expect(open(port)).rejects.toThrow(/ECONNREFUSED/);
    // …while the open keep-alive connection gets an answer, and is closed after it.
    socket.write(searchRequest('{"query":"drill"}'));
    await expect.poll(() => state.closed).toBe(true);
    expect(state.error).toBeUndefined();
    expect(state.received).toMatch(/^HTTP\/1\.1 503 /);
    expect(state.received).toMatch(/connection: close/i);
    expect(state.received).toMatch(/"code":"E_UNAVAILABLE".*shutting down/);
    // With its last connection gone, shutdown does not wait out the grace period.
    await closed;
  });
});
