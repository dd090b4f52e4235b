/**
 * The HTTP ceiling for bench/serve.bench.ts: a bare Fastify route answering POST /search with a
 * fixed JSON body (the one `pairlift serve` gave for the same request), so the difference to
 * the real server is the search and what surrounds it. Prints its URL, like `pairlift serve`.
 *
 *   npx tsx bench/support/bare-server.ts ANSWERS.json   (ANSWERS: { [pipeline]: body })
 */
import { readFile } from "node:fs/promises";
import Fastify from "fastify";

const answers = JSON.parse(await readFile(process.argv[2]!, "utf8")) as Record<string, unknown>;
const app = Fastify();
app.post<{ Body: { pipeline?: string } }>("/search", async (request) => {
  return answers[request.body.pipeline ?? "bm25"];
});
const url = await app.listen({ host: "127.0.0.1", port: 0 });
console.log(`bare: listening on ${url} `);
process.once("SIGTERM", () => void app.close().then(() => process.exit(0)));
