/**
 * The sweep's memory on disk, in `--out`: `results.jsonl` gets one line per finished
 * configuration, appended and flushed as soon as it finishes, so an interrupted sweep loses at
 * most the configuration it was running. A rerun reads the file and skips every configuration
 * whose key (its id under the same data, models and settings) is already there. A line cut short
 * by a crash is ignored and counted.
 */
import { mkdir, open, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import type { ConfigurationResult } from "./result.js";
import { RESULT_FORMAT } from "./result.js";

export const RESULTS_FILE = "results.jsonl";

export class ResultsStore {
  private constructor(
    readonly path: string,
    private readonly results: Map<string, ConfigurationResult>,
    /** Lines that could not be read back (a write cut short by a crash). */
    readonly unreadable: number,
    /** The file ends inside a line (a cut write): the next append starts a new line first. */
    private endsMidLine: boolean,
  ) {}

  /** Opens (creating the folder) and reads what earlier runs finished; `fresh` forgets it. */
  static async open(dir: string, options: { fresh?: boolean } = {}): Promise<ResultsStore> {
    await mkdir(dir, { recursive: true });
    const path = join(dir, RESULTS_FILE);
    if (options.fresh === true) await rm(path, { force: true });
    const results = new Map<string, ConfigurationResult>();
    let unreadable = 0;
    const text = await readFile(path, "utf8").catch(() => "");
    for (const line of text.split("\n")) {
      if (line.trim() === "") continue;
      const result = parseResultLine(line);
      if (result === undefined) unreadable += 1;
      else results.set(result.key, result);
    }
    return new ResultsStore(path, results, unreadable, text !== "" && !text.endsWith("\n"));
  }

  get(key: string): ConfigurationResult | undefined {
    return this.results.get(key);
  }

  get size(): number {
    return this.results.size;
  }

  /** Appends one finished configuration and flushes it to disk before returning. */
  async append(result: ConfigurationResult): Promise<void> {
    const handle = await open(this.path, "a");
    try {
      await handle.write(`${this.endsMidLine ? "\n" : ""}${JSON.stringify(result)}\n`);
      this.endsMidLine = false;
      await handle.datasync();
    } finally {
      await handle.close();
    }
    this.results.set(result.key, result);
  }
}

function parseResultLine(line: string): ConfigurationResult | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null) return undefined;
  const record = value as Record<string, unknown>;
  if (
    record["format"] !== RESULT_FORMAT ||
    typeof record["key"] !== "string" ||
    typeof record["id"] !== "string" ||
    typeof record["perQuery"] !== "object"
  )
    return undefined;
  // Written by this module from a ConfigurationResult; the checks above catch foreign lines.
  return value as ConfigurationResult;
}
