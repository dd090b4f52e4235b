import { readFile } from "node:fs/promises";
import { PairliftError } from "../errors.js";

/**
 * Reads and parses a JSON file, failing with E_NOT_FOUND (`<what> not found`, plus a hint on
 * how to make one) or E_PARSE naming the file; the caller validates the shape.
 */
export async function readJsonFile(path: string, what: string, hint?: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new PairliftError(
      "E_NOT_FOUND",
      `${what} not found${hint === undefined ? "" : `; ${hint}`}`,
      { file: path },
      error,
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new PairliftError("E_PARSE", `malformed JSON: ${String(error)}`, { file: path }, error);
  }
}
