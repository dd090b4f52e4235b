import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { createInterface } from "node:readline";
import { PairliftError } from "../errors.js";

export interface NumberedLine {
  /** 1-based line number in the file. */
  line: number;
  text: string;
}

/** Fails with E_NOT_FOUND naming the path when it does not exist or is not a file. */
export async function assertFile(path: string, what: string): Promise<void> {
  const info = await stat(path).catch(() => undefined);
  if (info === undefined || !info.isFile()) {
    throw new PairliftError("E_NOT_FOUND", `${what} not found (expected a file)`, { file: path });
  }
}

/**
 * Streams a text file line by line with 1-based line numbers, so parse errors can name the
 * line. Handles \n and \r\n, strips a UTF-8 byte-order mark on the first line.
 */
export async function* readLines(path: string, what = "file"): AsyncGenerator<NumberedLine> {
  await assertFile(path, what);
  const reader = createInterface({
    input: createReadStream(path, { encoding: "utf8" }),
    crlfDelay: Infinity,
  });
  let line = 0;
  for await (const raw of reader) {
    line += 1;
    yield { line, text: line === 1 && raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw };
  }
}

/** Streams a JSONL file as parsed objects; blank lines are skipped, anything else must be a JSON object. */
export async function* readJsonl(
  path: string,
  what = "JSONL file",
): AsyncGenerator<{ line: number; value: Record<string, unknown> }> {
  for await (const { line, text } of readLines(path, what)) {
    if (text.trim() === "") continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new PairliftError("E_PARSE", `malformed JSON: ${reason}`, { file: path, line }, error);
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      throw new PairliftError("E_PARSE", "each line must be a JSON object", { file: path, line });
    }
    yield { line, value: value as Record<string, unknown> };
  }
}
