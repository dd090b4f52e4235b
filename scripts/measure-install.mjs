#!/usr/bin/env node
// Measures what `npm install pairlift` costs a user: packs this repository (run `npm run build`
// first), installs the tarball into fresh temporary projects and reports the wall-clock time of
// `npm install` and the size of node_modules on disk, for the core package, the core without
// its optional better-sqlite3, and the core with every optional model runtime. Installs use
// the local npm cache when it has the packages (--prefer-offline), as a second install would.
//
//   npm run build && node scripts/measure-install.mjs [--keep]
import { execFileSync, spawnSync } from "node:child_process";
import { lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { performance } from "node:perf_hooks";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const keep = process.argv.includes("--keep");
const work = mkdtempSync(join(tmpdir(), "pairlift-measure-"));

/** Bytes under `dir` (files and links as stored; folders' own blocks not counted). */
function sizeOf(dir) {
  let bytes = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) bytes += sizeOf(path);
    else bytes += lstatSync(path).size;
  }
  return bytes;
}

/** Installed packages, nested ones included (npm's hidden lockfile lists each once). */
function packageCount(modules) {
  const lock = JSON.parse(readFileSync(join(modules, ".package-lock.json"), "utf8"));
  return Object.keys(lock.packages).filter((path) => path.startsWith("node_modules/")).length;
}

const tarballName = execFileSync("npm", ["pack", "--ignore-scripts", "--silent"], {
  cwd: root,
  encoding: "utf8",
})
  .trim()
  .split("\n")
  .pop();
const tarball = join(work, tarballName);
execFileSync("mv", [join(root, tarballName), tarball]);

const optionalPeers = Object.entries(pkg.peerDependencies ?? {}).map(
  ([name, range]) => `${name}@${range}`,
);
const scenarios = [
  { name: "core (`npm install pairlift`)", args: [tarball] },
  { name: "core without better-sqlite3 (`--omit=optional`)", args: [tarball, "--omit=optional"] },
  {
    name: "core + every optional runtime",
    args: [tarball, ...optionalPeers],
    // onnxruntime-node's postinstall would download CUDA libraries from api.nuget.org.
    allowScripts: { "onnxruntime-node": false },
  },
];

const rows = [];
for (const scenario of scenarios) {
  const dir = mkdtempSync(join(work, "project-"));
  writeFileSync(
    join(dir, "package.json"),
    JSON.stringify({
      name: "measure",
      version: "1.0.0",
      private: true,
      ...(scenario.allowScripts === undefined ? {} : { allowScripts: scenario.allowScripts }),
    }),
  );
  const started = performance.now();
  const result = spawnSync(
    "npm",
    ["install", ...scenario.args, "--prefer-offline", "--no-audit", "--no-fund"],
    { cwd: dir, encoding: "utf8" },
  );
  const seconds = (performance.now() - started) / 1000;
  if (result.status !== 0) {
    process.stderr.write(result.stdout + result.stderr);
    throw new Error(`npm install failed for ${scenario.name}`);
  }
  const modules = join(dir, "node_modules");
  rows.push({
    name: scenario.name,
    seconds,
    megabytes: sizeOf(modules) / 1e6,
    packages: packageCount(modules),
    sqlite: readdirSync(modules).includes("better-sqlite3"),
  });
  process.stderr.write(`measured ${scenario.name}\n`);
}

const cpu = cpus();
console.log(
  `node ${process.version}, npm ${execFileSync("npm", ["--version"], { encoding: "utf8" }).trim()}, ` +
    `${cpu.length} × ${cpu[0]?.model ?? "cpu"}, ${new Date().toISOString().slice(0, 10)}\n`,
);
console.log("| install | `npm install` | node_modules | packages | better-sqlite3 |");
console.log("| --- | --- | --- | --- | --- |");
for (const row of rows)
  console.log(
    `| ${row.name} | ${row.seconds.toFixed(0)} s | ${row.megabytes.toFixed(0)} MB | ${row.packages} | ${row.sqlite ? "built" : "absent"} |`,
  );
if (keep) console.log(`\nprojects kept in ${work}`);
else rmSync(work, { recursive: true, force: true });
