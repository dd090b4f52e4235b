/**
 * An in-process HTTP server on 127.0.0.1 (port 0) for the hosted-embedder tests: it records
 * every request (method, path, headers, parsed JSON body) and answers through a handler, so
 * tests assert the exact wire format and simulate rate limits, outages, hangs and garbage.
 * Nothing here reaches the network.
 */
import { createServer } from "node:http";
import type { IncomingHttpHeaders, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  rawBody: string;
  /** The JSON body; undefined if it did not parse. */
  body: unknown;
}

export type Reply =
  | {
      status?: number;
      headers?: Record<string, string>;
      /** Serialised as JSON. */
      json?: unknown;
      /** Sent as is (garbage, HTML, truncated JSON). */
      raw?: string;
      /** Milliseconds to wait before answering. */
      delayMs?: number;
    }
  /** Never answer (the client must time out). */
  | "hang"
  /** Drop the connection without an answer. */
  | "destroy";

/** `index` counts requests from 0. */
export type Handler = (request: RecordedRequest, index: number) => Reply | Promise<Reply>;

export interface FakeApi {
  /** http://127.0.0.1:PORT (no trailing slash). */
  url: string;
  requests: RecordedRequest[];
  /** Requests being answered right now, and the most seen at once. */
  inFlight: { now: number; max: number };
  close(): Promise<void>;
}

export async function startFakeApi(handler: Handler): Promise<FakeApi> {
  const requests: RecordedRequest[] = [];
  const inFlight = { now: 0, max: 0 };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const rawBody = Buffer.concat(chunks).toString("utf8");
      let body: unknown;
      try {
        body = JSON.parse(rawBody);
      } catch {
        body = undefined;
      }
      const recorded: RecordedRequest = {
        method: req.method ?? "",
        path: req.url ?? "",
        headers: req.headers,
        rawBody,
        body,
      };
      const index = requests.length;
      requests.push(recorded);
      inFlight.now += 1;
      inFlight.max = Math.max(inFlight.max, inFlight.now);
      res.on("close", () => {
        inFlight.now -= 1;
      });
      void Promise.resolve(handler(recorded, index)).then(
        (reply) => send(res, reply),
        (error: unknown) => {
          res.statusCode = 599;
          res.end(String(error));
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    inFlight,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function send(res: ServerResponse, reply: Reply): void {
  if (reply === "hang") return;
  if (reply === "destroy") {
    res.socket?.destroy();
    return;
  }
  const write = (): void => {
    res.statusCode = reply.status ?? 200;
    for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
    if (reply.raw !== undefined) {
      if (!res.hasHeader("content-type")) res.setHeader("content-type", "text/plain");
      res.end(reply.raw);
    } else if (reply.json !== undefined) {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify(reply.json));
    } else res.end();
  };
  if (reply.delayMs === undefined) write();
  else setTimeout(write, reply.delayMs);
}

/** A port with nothing listening (for connection-refused tests). */
export async function closedPortUrl(): Promise<string> {
  const api = await startFakeApi(() => ({ json: {} }));
  await api.close();
  return api.url;
}

/** A deterministic, unnormalised vector for a text (what the fake servers embed). */
export function fakeVector(text: string, dimension = 3): number[] {
  const out = [text.length + 1, (text.charCodeAt(0) || 0) % 7, 2];
  while (out.length < dimension) out.push(out.length);
  return out.slice(0, dimension);
}

/** The L2-normalised fakeVector, as float32 numbers. */
export function normalizedFakeVector(text: string, dimension = 3): number[] {
  const raw = fakeVector(text, dimension);
  const norm = Math.sqrt(raw.reduce((sum, x) => sum + x * x, 0));
  return Array.from(new Float32Array(raw.map((x) => x / norm)));
}

/** A sleep that returns at once and records what it was asked for. */
export function instantSleep(): {
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  calls: number[];
} {
  const calls: number[] = [];
  return {
    calls,
    sleep: async (ms, signal) => {
      calls.push(ms);
      signal?.throwIfAborted();
    },
  };
}

export function envContext(env: Record<string, string | undefined> = {}): {
  baseDir: string;
  cacheDir: string;
  env: Record<string, string | undefined>;
} {
  return { baseDir: "/nonexistent", cacheDir: "/nonexistent/cache", env };
}
