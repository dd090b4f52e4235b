/**
 * Slice files: user-defined slices, one per key of a YAML (or JSON) mapping.
 *
 * ```yaml
 * sku-lookups: "^[a-z]{2,}-?\\d{3,}"   # a regular expression over the query text
 * gene-names: /\b[A-Z]{2,}\d+\b/       # /…/flags: flags as written (default: i, u)
 * hand-picked: [q001, q017, "0042"]    # query ids (quote ids YAML would read as numbers)
 * ```
 */
import { readFile } from "node:fs/promises";
import { isMap, isScalar, LineCounter, parseDocument, type Node } from "yaml";
import { PairliftError } from "../../errors.js";
import type { Query } from "../../types.js";
import { AUTOMATIC_SLICES, TAG_SLICE_PREFIX } from "./slices.js";

export interface SliceDefinition {
  name: string;
  kind: "regex" | "ids";
  /** The pattern (regex) or the ids, as the file gave them. */
  source: string | string[];
  matches(query: Query): boolean;
}

export interface SliceFile {
  file: string;
  slices: SliceDefinition[];
}

export async function loadSliceFile(path: string): Promise<SliceFile> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new PairliftError("E_NOT_FOUND", "slice file not found", { file: path }, error);
  }
  return parseSliceFile(text, path);
}

const RESERVED: ReadonlySet<string> = new Set(AUTOMATIC_SLICES);
const REGEX_LITERAL = /^\/(.+)\/([a-z]*)$/su;

export function parseSliceFile(text: string, file: string): SliceFile {
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const lineOf = (node: Node | null | undefined): number | undefined =>
    node?.range === undefined || node.range === null
      ? undefined
      : lines.linePos(node.range[0]).line;
  const syntax = document.errors[0];
  if (syntax !== undefined) {
    const line = lines.linePos(syntax.pos[0]).line;
    throw new PairliftError(
      "E_PARSE",
      `malformed slice file: ${syntax.message.split("\n")[0] ?? syntax.message}`,
      { file, line },
    );
  }
  const root = document.contents;
  if (root === null) return { file, slices: [] };
  if (!isMap(root)) {
    throw new PairliftError(
      "E_CONFIG",
      "a slice file is a mapping of slice name → regular expression or list of query ids",
      withLine(file, lineOf(root)),
    );
  }
  const slices: SliceDefinition[] = [];
  const seen = new Set<string>();
  for (const pair of root.items) {
    const keyNode = isScalar(pair.key) ? pair.key : undefined;
    const name = keyNode === undefined ? undefined : keyNode.value;
    const line = lineOf(keyNode);
    if (typeof name !== "string" || name.trim() === "") {
      throw new PairliftError(
        "E_CONFIG",
        "slice names are non-empty strings",
        withLine(file, line),
      );
    }
    const where = { ...withLine(file, line), field: name };
    if (RESERVED.has(name) || name.startsWith(TAG_SLICE_PREFIX)) {
      throw new PairliftError(
        "E_CONFIG",
        `"${name}" is reserved (automatic slices: ${AUTOMATIC_SLICES.join(", ")}; tag slices start with "${TAG_SLICE_PREFIX}")`,
        where,
      );
    }
    if (seen.has(name)) throw new PairliftError("E_DUPLICATE_ID", "slice defined twice", where);
    seen.add(name);
    slices.push(sliceDefinition(name, (pair.value as Node | null)?.toJSON() as unknown, where));
  }
  return { file, slices };
}

function withLine(file: string, line: number | undefined): { file: string; line?: number } {
  return line === undefined ? { file } : { file, line };
}

function sliceDefinition(
  name: string,
  value: unknown,
  where: { file: string; line?: number; field: string },
): SliceDefinition {
  if (typeof value === "string") {
    const literal = REGEX_LITERAL.exec(value);
    const source = literal === null ? value : literal[1]!;
    // g and y make RegExp.test stateful; a slice is a yes/no question.
    const flags = literal === null ? "iu" : literal[2]!.replace(/[gy]/g, "");
    let regex: RegExp;
    try {
      regex = new RegExp(source, flags);
    } catch (error) {
      throw new PairliftError(
        "E_CONFIG",
        `invalid regular expression: ${(error as Error).message}`,
        where,
        error,
      );
    }
    return { name, kind: "regex", source: value, matches: (query) => regex.test(query.text) };
  }
  if (Array.isArray(value)) {
    const ids = value.map((id, i) => {
      if (typeof id === "string" || typeof id === "number") return String(id);
      throw new PairliftError("E_CONFIG", `query id #${i + 1} is not a string`, where);
    });
    const members = new Set(ids);
    return { name, kind: "ids", source: ids, matches: (query) => members.has(query.id) };
  }
  throw new PairliftError(
    "E_CONFIG",
    "expected a regular expression (string) or a list of query ids",
    where,
  );
}
