import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { extname } from "node:path";
import { parse } from "csv-parse";
import { PairliftError } from "../errors.js";
import type { Document } from "../types.js";
import { beirPaths, readBeirCorpus } from "./beir.js";
import { assertFile, readJsonl } from "./lines.js";
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
  if (info.isDirectory()) return { format: "beir", file: beirPaths(path).corpus };
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
  for await (const { line, value } of records) {
    yield mapRecord(value, fields, ids, file, line);
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
  if (fields.metadata !== undefined && fields.metadata.length > 0) {
    document.metadata = Object.fromEntries(fields.metadata.map((key) => [key, value[key]]));
  }
  return document;
}

async function* readDelimited(
  file: string,
  format: "csv" | "tsv",
): AsyncGenerator<{ line: number; value: Record<string, unknown> }> {
  await assertFile(file, "corpus");
  const parser = createReadStream(file).pipe(
    parse({
      columns: true,
      delimiter: format === "tsv" ? "\t" : ",",
      bom: true,
      skip_empty_lines: true,
      relax_column_count: false,
      info: true,
    }),
  );
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
