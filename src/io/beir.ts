import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { PairliftError } from "../errors.js";
import type { Document, Qrels, Query } from "../types.js";
import { writeFileAtomic } from "./atomic-write.js";
import { readJsonl, readLines } from "./lines.js";
import { IdRegistry, optionalObject, optionalString, parseGrade, requireId } from "./records.js";

/**
 * BEIR folders: corpus.jsonl, queries.jsonl and qrels/<split>.tsv.
 * https://github.com/beir-cellar/beir (data format described in its README).
 */
export interface BeirPaths {
  dir: string;
  corpus: string;
  queries: string;
  qrels: (split: string) => string;
}

export function beirPaths(dir: string): BeirPaths {
  return {
    dir,
    corpus: beirCorpusPath(dir),
    queries: join(dir, "queries.jsonl"),
    qrels: (split) => join(dir, "qrels", `${split}.tsv`),
  };
}

/**
 * A probe directory (`pairlift probe`) holds no corpus.jsonl: its `probe.json` names the corpus
 * it was generated from (a path relative to the directory), so probes never copy shared data.
 */
export const PROBE_MANIFEST_FILE = "probe.json";

/** `dir/corpus.jsonl`, or the corpus a probe directory's probe.json names when that is absent. */
export function beirCorpusPath(dir: string): string {
  const own = join(dir, "corpus.jsonl");
  const manifestPath = join(dir, PROBE_MANIFEST_FILE);
  if (existsSync(own) || !existsSync(manifestPath)) return own;
  let corpus: unknown;
  try {
    corpus = (JSON.parse(readFileSync(manifestPath, "utf8")) as Record<string, unknown>)["corpus"];
  } catch (error) {
    throw new PairliftError("E_PARSE", `malformed JSON: ${String(error)}`, { file: manifestPath });
  }
  if (typeof corpus !== "string" || corpus === "") {
    throw new PairliftError("E_FIELD", "expected the path of the source corpus", {
      file: manifestPath,
      field: "corpus",
    });
  }
  return resolve(dir, corpus);
}

/** Streams documents from a BEIR corpus.jsonl, rejecting missing and duplicate ids. */
export async function* readBeirCorpus(path: string): AsyncGenerator<Document> {
  const ids = new IdRegistry("document");
  for await (const { line, value } of readJsonl(path, "corpus")) {
    const id = requireId(value["_id"], { file: path, line, field: "_id" });
    ids.add(id, { file: path, line, field: "_id" });
    const document: Document = {
      id,
      title: optionalString(value["title"], { file: path, line, field: "title" }),
      text: optionalString(value["text"], { file: path, line, field: "text" }),
    };
    const metadata = optionalObject(value["metadata"], { file: path, line, field: "metadata" });
    if (metadata !== undefined) document.metadata = metadata;
    yield document;
  }
}

/** Where each query read by readBeirQueries came from, so a failure to run it can say. */
const queryLocations = new WeakMap<Query, { file: string; line: number }>();

/** The file and line a query was read from (readBeirQueries), if it was read from one. */
export function queryLocation(query: Query): { file: string; line: number } | undefined {
  return queryLocations.get(query);
}

/** Reads every query of a BEIR queries.jsonl into a map keyed by id. */
export async function readBeirQueries(path: string): Promise<Map<string, Query>> {
  const ids = new IdRegistry("query");
  const queries = new Map<string, Query>();
  for await (const { line, value } of readJsonl(path, "queries")) {
    const id = requireId(value["_id"], { file: path, line, field: "_id" });
    ids.add(id, { file: path, line, field: "_id" });
    const query: Query = {
      id,
      text: optionalString(value["text"], { file: path, line, field: "text" }),
    };
    const metadata = optionalObject(value["metadata"], { file: path, line, field: "metadata" });
    if (metadata !== undefined) query.metadata = metadata;
    queries.set(id, query);
    queryLocations.set(query, { file: path, line });
  }
  return queries;
}

/**
 * Reads a BEIR qrels TSV (header `query-id corpus-id score`). When `knownQueries` is given, a
 * judgment for a query that does not exist is an error naming the line.
 */
export async function readBeirQrels(
  path: string,
  knownQueries?: ReadonlySet<string> | ReadonlyMap<string, unknown>,
): Promise<Qrels> {
  const qrels: Qrels = new Map();
  for await (const { line, text } of readLines(path, "qrels")) {
    if (text.trim() === "") continue;
    const columns = text.split(/\t| +/);
    if (line === 1 && columns[0] === "query-id") continue;
    if (columns.length !== 3) {
      throw new PairliftError(
        "E_PARSE",
        `expected 3 tab-separated columns (query-id, corpus-id, score), found ${columns.length}`,
        { file: path, line },
      );
    }
    const [queryId, docId, rawGrade] = columns as [string, string, string];
    const grade = parseGrade(rawGrade, { file: path, line, field: "score" });
    if (knownQueries !== undefined && !knownQueries.has(queryId)) {
      throw new PairliftError(
        "E_UNKNOWN_ID",
        `qrels refer to query ${JSON.stringify(queryId)}, which is not in queries.jsonl`,
        { file: path, line, field: "query-id" },
      );
    }
    let judged = qrels.get(queryId);
    if (judged === undefined) qrels.set(queryId, (judged = new Map()));
    if (judged.has(docId)) {
      throw new PairliftError(
        "E_DUPLICATE_ID",
        `query ${JSON.stringify(queryId)} judges document ${JSON.stringify(docId)} twice`,
        { file: path, line, field: "corpus-id" },
      );
    }
    judged.set(docId, grade);
  }
  return qrels;
}

export interface BeirDataset {
  paths: BeirPaths;
  split: string;
  /** Only the queries judged in this split, in queries.jsonl order. */
  queries: Query[];
  qrels: Qrels;
}

/** Loads a split's queries and judgments; the corpus is streamed separately with readBeirCorpus. */
export async function loadBeirSplit(dir: string, split: string): Promise<BeirDataset> {
  const paths = beirPaths(dir);
  const allQueries = await readBeirQueries(paths.queries);
  const qrels = await readBeirQrels(paths.qrels(split), allQueries);
  const queries = [...allQueries.values()].filter((query) => qrels.has(query.id));
  return { paths, split, queries, qrels };
}

function documentLine(document: Document): string {
  const record: Record<string, unknown> = {
    _id: document.id,
    title: document.title,
    text: document.text,
  };
  if (document.metadata !== undefined) record["metadata"] = document.metadata;
  return JSON.stringify(record);
}

function queryLine(query: Query): string {
  const record: Record<string, unknown> = { _id: query.id, text: query.text };
  if (query.metadata !== undefined) record["metadata"] = query.metadata;
  return JSON.stringify(record);
}

/** Writes a whole BEIR folder atomically file by file. */
export async function writeBeirDataset(
  dir: string,
  data: {
    corpus: Iterable<Document>;
    queries: Iterable<Query>;
    qrels: Record<string, Qrels>;
  },
): Promise<void> {
  const paths = beirPaths(dir);
  await writeFileAtomic(paths.corpus, joinLines([...data.corpus].map(documentLine)));
  await writeFileAtomic(paths.queries, joinLines([...data.queries].map(queryLine)));
  for (const [split, qrels] of Object.entries(data.qrels)) {
    const rows = ["query-id\tcorpus-id\tscore"];
    for (const [queryId, judged] of qrels) {
      for (const [docId, grade] of judged) rows.push(`${queryId}\t${docId}\t${grade}`);
    }
    await writeFileAtomic(paths.qrels(split), joinLines(rows));
  }
}

function joinLines(lines: string[]): string {
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}
