/**
 * TREC file formats, as trec_eval 10.0 reads them (get_qrels.c, get_trec_results.c):
 *
 * - qrels: `qid iter docid grade`, four whitespace-separated columns; iter is ignored, grade is an
 *   integer (relevant when ≥ 1; negative grades mean pooled but not judged). A BEIR qrels TSV
 *   (`query-id corpus-id score` header, three columns) is read too, detected by its header.
 * - runs: `qid Q0 docid rank score tag`, six columns, more ignored (trec_eval reserves them); the
 *   Q0 and rank columns are ignored (ranks are recomputed from scores, ties broken by docid
 *   descending), the score is a number; the tag of the last line is the run's tag.
 *
 * Blank lines and comment lines (first non-blank character `#`, as trec_eval 10.0) are skipped; a
 * `#` inside a line is data (docids such as `doc#3`). Whitespace is C's isspace set (space, \t,
 * \v, \f, \r). A (qid, docid) pair may appear only once per file: trec_eval itself refuses such
 * files ("duplicate docs").
 */
import { createReadStream } from "node:fs";
import { type FileHandle, open, rename, rm } from "node:fs/promises";
import { PairliftError } from "../errors.js";
import { rankDocuments, sortStrcmp } from "../eval/ranking.js";
import type { Qrels, Run } from "../types.js";
import { numberedLines } from "./lines.js";

const WHITESPACE = /[ \t\n\v\f\r]+/;
const SURROUNDING_WHITESPACE = /^[ \t\n\v\f\r]+|[ \t\n\v\f\r]+$/g;
const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

const QRELS_COLUMNS = ["qid", "iter", "docid", "grade"] as const;
const RUN_COLUMNS = ["qid", "Q0", "docid", "rank", "score", "tag"] as const;

/** Splits a line into its whitespace-separated fields; undefined for a blank or comment line. */
function fieldsOf(line: string): string[] | undefined {
  const trimmed = line.replace(SURROUNDING_WHITESPACE, "");
  return trimmed === "" || trimmed.startsWith("#") ? undefined : trimmed.split(WHITESPACE);
}

const BEIR_HEADER = ["query-id", "corpus-id", "score"] as const;

function isBeirHeader(fields: readonly string[]): boolean {
  return (
    fields.length === BEIR_HEADER.length &&
    fields.every((field, i) => field.toLowerCase() === BEIR_HEADER[i])
  );
}

function columnError(
  kind: string,
  columns: readonly string[],
  found: number,
  file: string,
  line: number,
): PairliftError {
  return new PairliftError(
    "E_PARSE",
    `malformed TREC ${kind} line: expected ${columns.length} whitespace-separated columns ` +
      `(${columns.join(" ")}), found ${found}`,
    { file, line },
  );
}

/** Accumulates qrels lines; shared by the file reader and {@link parseTrecQrels}. */
class QrelsParser {
  readonly qrels: Qrels = new Map();
  /** Set by a `query-id corpus-id score` header on the first line. */
  private beir = false;
  private first = true;
  constructor(private readonly file: string) {}

  add(text: string, line: number): void {
    const fields = fieldsOf(text);
    if (fields === undefined) return;
    if (this.first) {
      this.first = false;
      if (isBeirHeader(fields)) {
        this.beir = true;
        return;
      }
    }
    const columns = this.beir ? BEIR_HEADER : QRELS_COLUMNS;
    if (fields.length !== columns.length) {
      throw columnError(
        this.beir ? "BEIR qrels" : "qrels",
        columns,
        fields.length,
        this.file,
        line,
      );
    }
    const [qid, docid, gradeText] = (this.beir ? fields : [fields[0], fields[2], fields[3]]) as [
      string,
      string,
      string,
    ];
    const grade = Number(gradeText);
    if (!INTEGER.test(gradeText) || !Number.isSafeInteger(grade)) {
      throw new PairliftError("E_PARSE", `grade must be an integer, got "${gradeText}"`, {
        file: this.file,
        line,
        field: "grade",
      });
    }
    let judgments = this.qrels.get(qid);
    if (judgments === undefined) {
      judgments = new Map();
      this.qrels.set(qid, judgments);
    } else if (judgments.has(docid)) {
      throw new PairliftError(
        "E_DUPLICATE_ID",
        `document "${docid}" is judged twice for query "${qid}" (trec_eval rejects duplicate qrels)`,
        { file: this.file, line, field: "docid" },
      );
    }
    judgments.set(docid, grade);
  }
}

/** Accumulates run lines; shared by the file reader and {@link parseTrecRun}. */
class RunParser {
  readonly run: Run = new Map();
  /** The tag column of the last line read. */
  tag = "";
  constructor(private readonly file: string) {}

  add(text: string, line: number): void {
    const fields = fieldsOf(text);
    if (fields === undefined) return;
    if (fields.length < RUN_COLUMNS.length) {
      throw columnError("run", RUN_COLUMNS, fields.length, this.file, line);
    }
    const [qid, , docid, , scoreText, tag] = fields as [
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    this.tag = tag;
    const score = Number(scoreText);
    if (!DECIMAL.test(scoreText) || !Number.isFinite(score)) {
      throw new PairliftError("E_PARSE", `score must be a finite number, got "${scoreText}"`, {
        file: this.file,
        line,
        field: "score",
      });
    }
    let scores = this.run.get(qid);
    if (scores === undefined) {
      scores = new Map();
      this.run.set(qid, scores);
    } else if (scores.has(docid)) {
      throw new PairliftError(
        "E_DUPLICATE_ID",
        `document "${docid}" is retrieved twice for query "${qid}" (trec_eval rejects runs with duplicate docs)`,
        { file: this.file, line, field: "docid" },
      );
    }
    scores.set(docid, score);
  }
}

async function readEachLine(
  path: string,
  what: string,
  onLine: (text: string, line: number) => void,
): Promise<void> {
  let handle: FileHandle;
  try {
    handle = await open(path, "r");
  } catch (error) {
    throw fileError(error, path, what);
  }
  const stat = await handle.stat();
  if (!stat.isFile()) {
    await handle.close();
    throw new PairliftError("E_NOT_FOUND", `${what} not found (expected a file)`, { file: path });
  }
  const stream = createReadStream("", { fd: handle });
  try {
    for await (const { line, text } of numberedLines(stream, path)) onLine(text, line);
  } catch (error) {
    if (error instanceof PairliftError) throw error;
    throw fileError(error, path, what);
  } finally {
    stream.destroy();
  }
}

function fileError(error: unknown, path: string, what: string): PairliftError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === "ENOENT" || code === "EISDIR" || code === "ENOTDIR") {
    return new PairliftError(
      "E_NOT_FOUND",
      `${what} not found (expected a file)`,
      { file: path },
      error,
    );
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new PairliftError("E_NOT_FOUND", `cannot read ${what}: ${reason}`, { file: path }, error);
}

/** Reads a TREC qrels file (`qid iter docid grade`) or a BEIR qrels TSV, streaming it line by line. */
export async function readTrecQrels(path: string): Promise<Qrels> {
  const parser = new QrelsParser(path);
  await readEachLine(path, "qrels file", (text, line) => parser.add(text, line));
  return parser.qrels;
}

/** Reads a TREC run file (`qid Q0 docid rank score tag`), streaming it line by line. */
export async function readTrecRun(path: string): Promise<Run> {
  return (await readTrecRunTagged(path)).run;
}

/** A run with its tag: the last column of its last line, which trec_eval reports as `runid`. */
export interface TaggedRun {
  run: Run;
  tag: string;
}

/** Reads a TREC run file and its tag. */
export async function readTrecRunTagged(path: string): Promise<TaggedRun> {
  const parser = new RunParser(path);
  await readEachLine(path, "run file", (text, line) => parser.add(text, line));
  return { run: parser.run, tag: parser.tag };
}

/** qid → measure value name → reference mean and standard deviation (trec_eval's `-Z` file). */
export type ZScoreFile = Map<string, Map<string, { mean: number; stddev: number }>>;

/** Reads trec_eval's `-Z` file: lines `qid measure mean stddev`. */
export async function readZScores(path: string): Promise<ZScoreFile> {
  const zscores: ZScoreFile = new Map();
  const columns = ["qid", "measure", "mean", "stddev"] as const;
  await readEachLine(path, "z-score file", (text, line) => {
    const fields = fieldsOf(text);
    if (fields === undefined) return;
    if (fields.length !== columns.length) {
      throw columnError("z-score", columns, fields.length, path, line);
    }
    const [qid, measure, meanText, stddevText] = fields as [string, string, string, string];
    const number = (value: string, field: string): number => {
      const parsed = Number(value);
      if (!DECIMAL.test(value) || !Number.isFinite(parsed)) {
        throw new PairliftError("E_PARSE", `${field} must be a number, got "${value}"`, {
          file: path,
          line,
          field,
        });
      }
      return parsed;
    };
    const mean = number(meanText, "mean");
    const stddev = number(stddevText, "stddev");
    let forQuery = zscores.get(qid);
    if (forQuery === undefined) zscores.set(qid, (forQuery = new Map()));
    forQuery.set(measure, { mean, stddev });
  });
  return zscores;
}

/** Parses qrels text held in memory; `source` names it in error messages. */
export function parseTrecQrels(text: string, source = "<qrels>"): Qrels {
  const parser = new QrelsParser(source);
  splitLines(text).forEach((line, i) => parser.add(line, i + 1));
  return parser.qrels;
}

/** Parses run text held in memory; `source` names it in error messages. */
export function parseTrecRun(text: string, source = "<run>"): Run {
  const parser = new RunParser(source);
  splitLines(text).forEach((line, i) => parser.add(line, i + 1));
  return parser.run;
}

function splitLines(text: string): string[] {
  const lines = text.split(/\r?\n/);
  if (lines[0]?.charCodeAt(0) === 0xfeff) lines[0] = lines[0].slice(1);
  return lines;
}

export interface TrecRunWriteOptions {
  /** Keep at most this many documents per query (the top-scored ones). */
  depth?: number;
}

const NO_WHITESPACE = /^[^ \t\n\v\f\r]+$/;

function checkToken(value: string, field: string, what: string): void {
  if (!NO_WHITESPACE.test(value)) {
    throw new PairliftError(
      "E_FIELD",
      `${what} ${JSON.stringify(value)} cannot be written to a TREC run: it is empty or contains whitespace`,
      { field },
    );
  }
}

/**
 * The lines of a TREC run: queries in strcmp order of qid; within each, ranks 1..n by score
 * descending, ties by docid descending (the order trec_eval would rank them in, so the rank column
 * agrees with trec_eval). Scores are written in the shortest form that reads back to the same
 * number. Yields one line at a time, each ending in "\n".
 */
export function* trecRunLines(
  run: Run,
  tag: string,
  options: TrecRunWriteOptions = {},
): Generator<string> {
  checkToken(tag, "tag", "run tag");
  const depth = options.depth ?? Number.POSITIVE_INFINITY;
  if (!(depth === Number.POSITIVE_INFINITY || (Number.isSafeInteger(depth) && depth > 0))) {
    throw new PairliftError("E_CONFIG", `depth must be a positive integer, got ${depth}`, {
      field: "depth",
    });
  }
  for (const qid of sortStrcmp([...run.keys()])) {
    checkToken(qid, "qid", "query id");
    const scores = run.get(qid)!;
    const ranked = rankDocuments(scores);
    const n = Math.min(depth, ranked.length);
    for (let i = 0; i < n; i++) {
      const docid = ranked[i]!;
      checkToken(docid, "docid", "document id");
      const score = scores.get(docid)!;
      if (!Number.isFinite(score)) {
        throw new PairliftError(
          "E_FIELD",
          `score of document "${docid}" for query "${qid}" is ${score}; TREC runs need finite scores`,
          { field: "score" },
        );
      }
      yield `${qid} Q0 ${docid} ${i + 1} ${String(score)} ${tag}\n`;
    }
  }
}

/** Formats a whole run as TREC run text (see {@link trecRunLines}). */
export function formatTrecRun(run: Run, tag: string, options: TrecRunWriteOptions = {}): string {
  return [...trecRunLines(run, tag, options)].join("");
}

/**
 * Writes a TREC run file atomically: the lines go to `PATH.tmp-<pid>`, which is renamed over
 * PATH only once complete and flushed, and removed if anything fails, so no half-written run is
 * ever left at PATH.
 */
export async function writeTrecRun(
  path: string,
  run: Run,
  tag: string,
  options: TrecRunWriteOptions = {},
): Promise<void> {
  const lines = trecRunLines(run, tag, options);
  // Validate the options and the first line before touching the file system.
  const first = lines.next();
  const temporary = `${path}.tmp-${process.pid}`;
  let handle: FileHandle | undefined;
  try {
    try {
      handle = await open(temporary, "w");
    } catch (error) {
      throw writeError(error, path);
    }
    let buffer = first.done === true ? "" : first.value;
    for (const line of lines) {
      buffer += line;
      if (buffer.length >= 1 << 20) {
        await handle.write(buffer);
        buffer = "";
      }
    }
    if (buffer !== "") await handle.write(buffer);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(temporary, path);
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await rm(temporary, { force: true }).catch(() => undefined);
    if (error instanceof PairliftError) throw error;
    throw writeError(error, path);
  }
}

function writeError(error: unknown, path: string): PairliftError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const reason = error instanceof Error ? error.message : String(error);
  if (code === "ENOENT" || code === "ENOTDIR") {
    return new PairliftError(
      "E_NOT_FOUND",
      `cannot write run: its directory does not exist`,
      { file: path },
      error,
    );
  }
  return new PairliftError("E_CONFIG", `cannot write run: ${reason}`, { file: path }, error);
}
