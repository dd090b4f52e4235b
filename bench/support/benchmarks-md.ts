/**
 * What every benchmark script shares: the machine it ran on, and writing its own section of
 * BENCHMARKS.md between `<!-- NAME:start -->` and `<!-- NAME:end -->` markers, leaving the other
 * sections alone.
 */
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { format as prettierFormat, resolveConfig as prettierConfig } from "prettier";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const BENCHMARKS_FILE = join(ROOT, "BENCHMARKS.md");
/** BEIR collections, read in place from ../shared (or BEIR_DIR). */
export const BEIR_DIR = process.env["BEIR_DIR"] ?? resolve(ROOT, "../shared/data/beir");

export interface Machine {
  cpu: string;
  cores: number;
  node: string;
  date: string;
  os: string;
}

export function describeMachine(): Machine {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? "unknown CPU",
    cores: cpus.length,
    node: process.version,
    date: new Date().toISOString().slice(0, 10),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
  };
}

export function machineLine(machine: Machine): string {
  return `${machine.cpu}, ${machine.cores} cores, ${machine.os}, Node ${machine.node}; run on ${machine.date}`;
}

export function sectionMarkers(name: string): { start: string; end: string } {
  return { start: `<!-- ${name}:start -->`, end: `<!-- ${name}:end -->` };
}

/** Replaces (or appends) the section `name` of BENCHMARKS.md; `section` includes its markers. */
export async function writeBenchmarkSection(name: string, section: string): Promise<void> {
  const { start: START, end: END } = sectionMarkers(name);
  let text = existsSync(BENCHMARKS_FILE)
    ? await readFile(BENCHMARKS_FILE, "utf8")
    : "# Benchmarks\n\nEach section is written by a script in `bench/`; run it again to refresh it.\n";
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  if (start >= 0 && end > start) {
    text = `${text.slice(0, start)}${section}${text.slice(end + END.length)}`;
  } else {
    text = `${text.trimEnd()}\n\n${section}\n`;
  }
  const options = (await prettierConfig(BENCHMARKS_FILE)) ?? {};
  await writeFile(
    BENCHMARKS_FILE,
    await prettierFormat(text, { ...options, filepath: BENCHMARKS_FILE }),
  );
}
