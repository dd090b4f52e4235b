import { createReadStream } from "node:fs";
import { Readable } from "node:stream";
import { stat } from "node:fs/promises";
import { extname } from "node:path";
import { parse } from "csv-parse";
import { PairliftError } from "../errors.js";
import type { Document } from "../types.js";
import { beirPaths, PROBE_MANIFEST_FILE, readBeirCorpus } from "./beir.js";
import { isIdentifierFieldName } from "./identifier-columns.js";
import { assertFile, readJsonl, utf8Text } from "./lines.js";
import { IdRegistry, optionalString, requireId } from "./records.js";

/** Which column or key holds the id, title and text of each record. */
export interface FieldMapping {
  id: string;
  title?: string;
  text: string;
  /** Extra columns kept as document metadata. */
  metadata?: readonly string[];
}

export type CorpusFormat = "beir" | "jsonl" | "csv" | "tsv";

export interface CorpusSource {
  /** A BEIR folder, or a .jsonl / .csv / .tsv file. */
  path: string;
  format?: CorpusFormat;
  fields?: FieldMapping;
}

export const DEFAULT_FIELDS: Readonly<FieldMapping> = Object.freeze({
  id: "_id",
  title: "title",
  text: "text",
});

/** Resolves the format of a path: a folder is BEIR, otherwise the extension decides. */
export async function detectCorpusFormat(
  path: string,
): Promise<{ format: CorpusFormat; file: string }> {
  const info = await stat(path).catch(() => undefined);
  if (info === undefined) {
    throw new PairliftError("E_NOT_FOUND", "corpus not found", { file: path });
  }
  if (info.isDirectory()) {
    const file = beirPaths(path).corpus;
    if (!(await stat(file).catch(() => undefined))?.isFile())
      throw new PairliftError(
        "E_NOT_FOUND",
        "no corpus.jsonl in this folder: a BEIR folder holds corpus.jsonl, queries.jsonl and " +
          `qrels/<split>.tsv (a probe set, its ${PROBE_MANIFEST_FILE} naming the corpus)`,
        { file: path },
      );
    return { format: "beir", file };
  }
  const extension = extname(path).toLowerCase();
  if (extension === ".jsonl" || extension === ".ndjson") return { format: "jsonl", file: path };
  if (extension === ".csv") return { format: "csv", file: path };
  if (extension === ".tsv") return { format: "tsv", file: path };
  throw new PairliftError(
    "E_USAGE",
    `cannot tell the corpus format from "${extension}": use a BEIR folder, .jsonl, .csv or .tsv`,
    { file: path },
  );
}

/** Streams documents from any supported corpus, with line-numbered errors. */
export async function* readCorpus(source: CorpusSource): AsyncGenerator<Document> {
  const detected = await detectCorpusFormat(source.path);
  const format = source.format ?? detected.format;
  const file = format === "beir" ? beirPaths(source.path).corpus : detected.file;
  if (format === "beir" && source.fields === undefined) {
    yield* readBeirCorpus(file);
    return;
  }
  const fields = source.fields ?? DEFAULT_FIELDS;
  const ids = new IdRegistry("document");
  const records =
    format === "csv" || format === "tsv" ? readDelimited(file, format) : readJsonl(file, "corpus");
  let first = true;
  for await (const { line, value } of records) {
    if (first) checkMapping(value, fields, { file, line, delimited: format !== "jsonl" });
    first = false;
    yield mapRecord(value, fields, ids, file, line);
  }
}

/**
 * Checks the field mapping against the first record, so a mistyped `--text-field` fails on
 * line 1 with the names the file does have, rather than as a missing value (or, for a title,
 * a silently empty one). In CSV/TSV the header fixes the columns; in JSONL the first record
 * stands for the rest. The default title ("title") may be absent: a corpus without titles.
 */
function checkMapping(
  record: Record<string, unknown>,
  fields: FieldMapping,
  where: { file: string; line: number; delimited: boolean },
): void {
  const has = (key: string): boolean => Object.hasOwn(record, key);
  const names = Object.keys(record);
  const listed = names.length === 0 ? "none" : names.map((name) => `"${name}"`).join(", ");
  const present = where.delimited ? `the columns are ${listed}` : `the first record has ${listed}`;
  const kind = where.delimited ? "column" : "field";
  const at = { file: where.file, line: where.line };
  if (!has(fields.id) && !(fields.id === "_id" && has("id")))
    throw new PairliftError(
      "E_FIELD",
      `no id ${kind} "${fields.id}": ${present}; name the id ${kind} with --id-field`,
      { ...at, field: fields.id },
    );
  const mapped: Array<[string | undefined, string, boolean]> = [
    [fields.text, "--text-field", true],
    [fields.title, "--title-field", fields.title !== DEFAULT_FIELDS.title],
    ...(fields.metadata ?? []).map((key): [string, string, boolean] => [key, "metadata", true]),
  ];
  for (const [key, flag, required] of mapped) {
    if (key === undefined || !required || has(key)) continue;
    throw new PairliftError("E_FIELD", `no ${kind} "${key}" (${flag}): ${present}`, {
      ...at,
      field: key,
    });
  }
}

function mapRecord(
  value: Record<string, unknown>,
  fields: FieldMapping,
  ids: IdRegistry,
  file: string,
  line: number,
): Document {
  const rawId = value[fields.id] ?? (fields.id === "_id" ? value["id"] : undefined);
  const id = requireId(rawId, { file, line, field: fields.id });
  ids.add(id, { file, line, field: fields.id });
  const text = value[fields.text];
  if (text === undefined) {
    throw new PairliftError("E_FIELD", "missing text field (set the field mapping)", {
      file,
      line,
      field: fields.text,
    });
  }
  const document: Document = {
    id,
    title:
      fields.title === undefined
        ? ""
        : optionalString(value[fields.title], { file, line, field: fields.title }),
    text: optionalString(text, { file, line, field: fields.text }),
  };
  // Without a metadata mapping, columns that name a product's code are kept (identifier fields).
  const metadata =
    fields.metadata ??
    Object.keys(value).filter(
      (key) =>
        key !== fields.id &&
        key !== fields.title &&
        key !== fields.text &&
        isIdentifierFieldName(key),
    );
  if (metadata.length > 0) {
    document.metadata = Object.fromEntries(metadata.map((key) => [key, value[key]]));
  }
  return document;
}

async function* readDelimited(
  file: string,
  format: "csv" | "tsv",
): AsyncGenerator<{ line: number; value: Record<string, unknown> }> {
  await assertFile(file, "corpus");
  const parser = parse({
    columns: true,
    delimiter: format === "tsv" ? "\t" : ",",
    bom: true,
    skip_empty_lines: true,
    relax_column_count: false,
    info: true,
  });
  // Decoded (and checked to be UTF-8) before parsing; a decoding error ends the parse with it.
  const text = Readable.from(utf8Text(createReadStream(file), file));
  text.on("error", (error) => parser.destroy(error));
  text.pipe(parser);
  try {
    for await (const row of parser as AsyncIterable<{
      record: Record<string, string>;
      info: { lines: number };
    }>) {
      yield { line: row.info.lines, value: row.record };
    }
  } catch (error) {
    if (error instanceof PairliftError) throw error;
    const lines = (error as { lines?: number }).lines;
    const reason = error instanceof Error ? error.message : String(error);
    throw new PairliftError(
      "E_PARSE",
      `malformed ${format.toUpperCase()}: ${reason}`,
      lines === undefined ? { file } : { file, line: lines },
      error,
    );
  }
}
