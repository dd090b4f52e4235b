import { isUtf8 } from "node:buffer";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
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
 * line. Handles \n and \r\n, strips a UTF-8 byte-order mark on the first line; bytes that are
 * not UTF-8 are an error naming the line (never silently replaced).
 */
export async function* readLines(path: string, what = "file"): AsyncGenerator<NumberedLine> {
  await assertFile(path, what);
  yield* numberedLines(createReadStream(path), path);
}

/** The lines of a byte stream from `file`, numbered from 1, checked to be UTF-8 (readLines). */
export async function* numberedLines(
  input: AsyncIterable<Buffer>,
  file: string,
): AsyncGenerator<NumberedLine> {
  let line = 0;
  for await (const text of utf8Text(input, file)) {
    const rows = text.split(/\r\n|\n|\r/);
    // A chunk ends with a line break (but the last one may not): no empty line after it.
    if (rows[rows.length - 1] === "") rows.pop();
    for (const raw of rows) {
      line += 1;
      yield { line, text: line === 1 && raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw };
    }
  }
}

/**
 * Decodes a byte stream as UTF-8 in pieces of whole lines (each but the last ends with \n),
 * refusing bytes that are not UTF-8 with an error naming the file and line: TextDecoder and
 * readline would replace them with U+FFFD and index changed text.
 */
export async function* utf8Text(
  input: AsyncIterable<Buffer>,
  file: string,
): AsyncGenerator<string> {
  let pending: Buffer[] = [];
  /** The number of the line that `pending` starts. */
  let line = 1;
  const check = (bytes: Buffer): void => {
    if (isUtf8(bytes)) {
      line += countNewlines(bytes);
      return;
    }
    let start = 0;
    for (;;) {
      const end = bytes.indexOf(0x0a, start);
      if (!isUtf8(bytes.subarray(start, end === -1 ? bytes.length : end))) break;
      line += 1;
      start = end + 1;
    }
    throw new PairliftError(
      "E_PARSE",
      "invalid UTF-8: this line holds bytes that are not UTF-8 text; convert the file to UTF-8",
      { file, line },
    );
  };
  for await (const chunk of input) {
    const end = chunk.lastIndexOf(0x0a) + 1;
    if (end === 0) {
      pending.push(chunk);
      continue;
    }
    const complete = Buffer.concat([...pending, chunk.subarray(0, end)]);
    pending = end === chunk.length ? [] : [chunk.subarray(end)];
    check(complete);
    yield complete.toString("utf8");
  }
  if (pending.length > 0) {
    const rest = Buffer.concat(pending);
    check(rest);
    yield rest.toString("utf8");
  }
}

function countNewlines(bytes: Buffer): number {
  let count = 0;
  for (let at = bytes.indexOf(0x0a); at !== -1; at = bytes.indexOf(0x0a, at + 1)) count += 1;
  return count;
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
