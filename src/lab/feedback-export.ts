import { normalizeText } from "../analysis/normalize.js";
import { PairliftError } from "../errors.js";
import { writeBeirDataset } from "../io/beir.js";
import { queryIdentifiers } from "../serve/monitors/identifier-miss.js";
import { QueryLog, type LoggedQuery } from "../serve/query-log.js";
import { sha256Text } from "../store/hash.js";
import { openIndex } from "../store/index-store.js";
import type { Document, Qrels, Query } from "../types.js";

export interface FeedbackExportOptions {
  /** The serve query log (SQLite). */
  log: string;
  /** The BEIR folder to write: corpus.jsonl, queries.jsonl, qrels/test.tsv. */
  out: string;
  /** The index whose documents become corpus.jsonl (default: the one the log's queries were served from). */
  index?: string;
  /** The qrels split name (default `test`). */
  split?: string;
}

export interface FeedbackExportReport {
  out: string;
  index: string;
  feedbackEvents: number;
  /** Judged queries written (each with at least one relevant document). */
  queries: number;
  identifierQueries: number;
  judgments: number;
  relevant: number;
  /** Queries whose feedback was all negative: no relevant document, so nothing to score. */
  withoutRelevant: number;
  /** Judgments of documents the index no longer holds, left out. */
  unknownDocuments: number;
}

interface Judged {
  text: string;
  pipelines: Set<string>;
  events: number;
  /** Document → grade, and whether an explicit verdict (good, bad, missing) set it. */
  grades: Map<string, { grade: number; explicit: boolean }>;
}

/**
 * Turns logged feedback into a judged query set the lab reads like any BEIR dataset:
 * `good` and `click` → 1, `bad` → 0, `missing` → 1 for its expected document. Explicit verdicts
 * outrank clicks (a click on a result later marked bad is a 0); among verdicts the latest wins.
 * The same query text (after normalisation) asked many times is one query; identifier queries
 * carry the `identifier` tag, so `compare --gate` and `lab` can slice on them.
 */
export async function exportFeedback(
  options: FeedbackExportOptions,
): Promise<FeedbackExportReport> {
  const log = new QueryLog(options.log, { readonly: true });
  let queries: LoggedQuery[];
  let feedback;
  try {
    queries = log.queries();
    feedback = log.feedback();
  } finally {
    await log.close();
  }
  const byId = new Map(queries.map((query) => [query.id, query]));
  const judged = new Map<string, Judged>();
  const indexes = new Map<string, number>();
  for (const event of feedback) {
    const query = byId.get(event.queryId);
    if (query === undefined) continue; // its query aged out of the log
    indexes.set(query.index, (indexes.get(query.index) ?? 0) + 1);
    const key = normalizeText(query.query).trim().replace(/\s+/gu, " ");
    let entry = judged.get(key);
    if (entry === undefined) {
      entry = { text: query.query, pipelines: new Set(), events: 0, grades: new Map() };
      judged.set(key, entry);
    }
    entry.pipelines.add(query.pipeline);
    entry.events += 1;
    const doc = event.signal === "missing" ? event.expectedDocId : event.docId;
    if (doc === undefined) continue;
    const previous = entry.grades.get(doc);
    if (event.signal === "click") {
      if (previous?.explicit !== true) entry.grades.set(doc, { grade: 1, explicit: false });
    } else {
      entry.grades.set(doc, { grade: event.signal === "bad" ? 0 : 1, explicit: true });
    }
  }

  const indexDir = options.index ?? mostUsed(indexes);
  if (indexDir === undefined) {
    throw new PairliftError("E_NOT_FOUND", "the log holds no feedback on logged queries", {
      file: options.log,
    });
  }
  const index = await openIndex(indexDir).catch((error: unknown) => {
    throw new PairliftError(
      "E_NOT_FOUND",
      `cannot open the index the queries were served from (${indexDir}); pass --index DIR`,
      { file: options.log },
      error,
    );
  });

  const report: FeedbackExportReport = {
    out: options.out,
    index: indexDir,
    feedbackEvents: feedback.length,
    queries: 0,
    identifierQueries: 0,
    judgments: 0,
    relevant: 0,
    withoutRelevant: 0,
    unknownDocuments: 0,
  };
  const exported: Query[] = [];
  const qrels: Qrels = new Map();
  for (const [key, entry] of judged) {
    const grades = new Map<string, number>();
    for (const [doc, { grade }] of entry.grades) {
      if (index.lexical.has(doc)) grades.set(doc, grade);
      else report.unknownDocuments += 1;
    }
    const relevant = [...grades.values()].filter((grade) => grade > 0).length;
    if (relevant === 0) {
      report.withoutRelevant += 1;
      continue;
    }
    const id = `fb-${sha256Text(key).slice(0, 12)}`;
    const identifier = queryIdentifiers(entry.text).size > 0;
    exported.push({
      id,
      text: entry.text,
      metadata: {
        tags: identifier ? ["identifier", "feedback"] : ["feedback"],
        pipelines: [...entry.pipelines],
        feedbackEvents: entry.events,
      },
    });
    qrels.set(id, grades);
    report.queries += 1;
    if (identifier) report.identifierQueries += 1;
    report.judgments += grades.size;
    report.relevant += relevant;
  }
  const corpus: Document[] = index.lexical
    .documentIds()
    .map((id) => index.documents.get(id))
    .filter((document): document is Document => document !== undefined);
  await writeBeirDataset(options.out, {
    corpus,
    queries: exported,
    qrels: { [options.split ?? "test"]: qrels },
  });
  return report;
}

function mostUsed(counts: ReadonlyMap<string, number>): string | undefined {
  let best: [string, number] | undefined;
  for (const entry of counts) if (best === undefined || entry[1] > best[1]) best = entry;
  return best?.[0];
}
