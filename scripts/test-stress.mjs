#!/usr/bin/env node
// The flake hunt (`npm run test:stress`): runs the whole vitest suite several times, files and
// the tests inside each file in a shuffled order (a printed seed per run replays it), while a
// CPU hog keeps one core busy, so timing assumptions, shared ports or folders and tests that
// lean on an earlier test's side effects fail here instead of at random in CI. Never retries:
// a test that fails once is reported with the seed that made it fail.
//
//   npm run test:stress                 5 runs, random seeds
//   npm run test:stress -- --runs 2 --seed 1234 [vitest filters…]
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";

const { values, positionals } = parseArgs({
  options: {
    runs: { type: "string", default: "5" },
    seed: { type: "string" },
    hogs: { type: "string", default: "1" },
  },
  allowPositionals: true,
});
const runs = Number(values.runs);
const hogs = Number(values.hogs);
if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer`);
if (!Number.isInteger(hogs) || hogs < 0) throw new Error(`--hogs must be a whole number`);

/** A child process spinning on one core until killed. */
function startHog() {
  return spawn(process.execPath, ["-e", "for (;;) Math.sqrt(Math.random());"], {
    stdio: "ignore",
  });
}

function run(command, args) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ["ignore", "inherit", "inherit"] });
    child.on("close", (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

const scratch = await mkdtemp(join(tmpdir(), "pairlift-stress-"));
const failures = [];
const hogProcesses = Array.from({ length: hogs }, startHog);
const stopHogs = () => hogProcesses.forEach((hog) => hog.kill("SIGKILL"));
process.on("exit", stopHogs);
try {
  for (let round = 1; round <= runs; round += 1) {
    const seed =
      values.seed === undefined
        ? Math.floor(Math.random() * 2 ** 31)
        : Number(values.seed) + round - 1;
    const report = join(scratch, `run-${round}.json`);
    console.log(
      `\n== stress run ${round}/${runs}: seed ${seed}, ${hogs} CPU hog(s); replay with npx vitest run --sequence.shuffle.files --sequence.shuffle.tests --sequence.seed ${seed}`,
    );
    const started = Date.now();
    const code = await run("npx", [
      "vitest",
      "run",
      "--sequence.shuffle.files",
      "--sequence.shuffle.tests",
      "--sequence.seed",
      String(seed),
      "--reporter",
      "dot",
      "--reporter",
      "json",
      "--outputFile.json",
      report,
      ...positionals,
    ]);
    const result = JSON.parse(await readFile(report, "utf8").catch(() => "{}"));
    const failed = [];
    for (const file of result.testResults ?? []) {
      for (const test of file.assertionResults ?? []) {
        if (test.status === "failed") failed.push(`${file.name} › ${test.fullName}`);
      }
      if ((file.assertionResults ?? []).length === 0 && file.status === "failed") {
        failed.push(`${file.name} (the file failed to run: ${file.message ?? "no message"})`);
      }
    }
    if (code !== 0 && failed.length === 0) failed.push(`vitest exited with ${code}`);
    const seconds = ((Date.now() - started) / 1000).toFixed(0);
    console.log(
      `== run ${round}: ${result.numPassedTests ?? "?"} passed, ${failed.length} failed, ${seconds} s (seed ${seed})`,
    );
    for (const name of failed) failures.push({ round, seed, name });
  }
} finally {
  stopHogs();
  await rm(scratch, { recursive: true, force: true });
}

if (failures.length > 0) {
  console.log(`\n== ${failures.length} failure(s):`);
  for (const { round, seed, name } of failures) console.log(`run ${round} (seed ${seed}): ${name}`);
  process.exit(1);
}
console.log(`\n== ${runs} of ${runs} runs passed`);
