/**
 * What crash-safe index updates cost (issue 14): the time of writeIndexDir — a whole new
 * generation folder, every file and folder fsynced, CURRENT replaced atomically, stale
 * generations removed — against writing the same files plainly (no fsync, no pointer), in the
 * same run, on BEIR SciFact; and the disk an index holds once the previous generation is kept
 * for readers.
 *
 *   npx tsx bench/crash-safety.bench.ts [--no-write] [--rounds N]
 *
 * Data: ../shared/data/beir/scifact (or BEIR_DIR). Rewrites the `crash-safety` section of
 * BENCHMARKS.md (unless --no-write). The kill -9 suite itself is `test/index-crash.test.ts`.
 */
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { saveLexicalIndex } from "../src/lexical/format.js";
import { buildIndex, writeIndexDir, type OpenIndex } from "../src/store/index-store.js";
import {
  BEIR_DIR,
  describeMachine,
  machineLine,
  sectionMarkers,
  writeBenchmarkSection,
} from "./support/benchmarks-md.js";

const { values } = parseArgs({
  options: { "no-write": { type: "boolean", default: false }, rounds: { type: "string" } },
});
const rounds = Number(values.rounds ?? 7);

/** The same three files written as they were before generations: no fsync, no pointer. */
async function writePlain(index: OpenIndex, dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await saveLexicalIndex(index.lexical, join(dir, "lexical.bin"));
  await index.documents.save(join(dir, "documents.jsonl"));
  await writeFile(join(dir, "manifest.json"), `${JSON.stringify(index.manifest, null, 2)}\n`);
}

async function bytesUnder(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) total += (await stat(join(entry.parentPath, entry.name))).size;
  }
  return total;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const tmp = await mkdtemp(join(tmpdir(), "pairlift-crash-bench-"));
try {
  const { index } = await buildIndex({
    source: { path: join(BEIR_DIR, "scifact") },
    dir: join(tmp, "index"),
  });
  const crashSafe: number[] = [];
  const plain: number[] = [];
  for (let round = 0; round < rounds; round += 1) {
    let started = performance.now();
    await writeIndexDir(index);
    crashSafe.push(performance.now() - started);
    const dir = join(tmp, `plain-${round}`);
    started = performance.now();
    await writePlain(index, dir);
    plain.push(performance.now() - started);
    await rm(dir, { recursive: true, force: true });
  }
  const oneGeneration = await bytesUnder(index.dataDir);
  const held = await bytesUnder(index.dir);
  const generations = (await readdir(index.dir)).filter((entry) => entry.startsWith("gen-"));
  const mb = (bytes: number): string => (bytes / 1_048_576).toFixed(1);
  const result = {
    documents: index.lexical.size,
    crashSafeMs: median(crashSafe),
    plainMs: median(plain),
    oneGenerationMb: mb(oneGeneration),
    heldMb: mb(held),
    generations: generations.length,
  };
  console.log(JSON.stringify(result));
  if (!values["no-write"]) {
    const { start, end } = sectionMarkers("crash-safety");
    await writeBenchmarkSection(
      "crash-safety",
      `${start}
## faults

### Crash safety

\`npx tsx bench/crash-safety.bench.ts\` — ${machineLine(describeMachine())}. BEIR SciFact
(${result.documents} documents), median of ${rounds} writes of the whole index.

| write of the index                                                       | median ms |
| ------------------------------------------------------------------------ | --------- |
| plain: lexical.bin, documents.jsonl, manifest.json, no fsync (before)    | ${result.plainMs.toFixed(0)} |
| crash-safe: new generation, every file fsynced, CURRENT replaced, cleanup | ${result.crashSafeMs.toFixed(0)} |

One generation holds ${result.oneGenerationMb} MB; the index folder holds ${result.heldMb} MB
(${result.generations} generations: the current one and the previous, kept for readers that
opened it a moment before; older ones are removed by the next write).

kill -9 at every named point of an update (\`npx vitest run test/index-crash.test.ts\`): 23
(command, point) pairs over \`index\` (8), \`--append\` (4), \`--delete\` (3), \`--embedder\` (5)
and an old-layout upgrade (3); each child must die by SIGKILL at its point, and the index then
answers 3 queries × (BM25 + 2 embedders' vectors) byte for byte as before the update, or, for
the points after CURRENT is replaced, as after it.
${end}`,
    );
  }
} finally {
  await rm(tmp, { recursive: true, force: true });
}
