/**
 * The BM25 engines the benchmarks compare: pairlift's LexicalIndex and its peers MiniSearch,
 * Orama, wink-bm25-text-search and SQLite FTS5 (better-sqlite3), each set up as close to
 * pairlift's analysis as it allows (see each `settings`). bench/bm25.bench.ts times them;
 * bench/identifiers.bench.ts scores them on identifier queries.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { create as createOrama, insert as oramaInsert, search as oramaSearch } from "@orama/orama";
import Database from "better-sqlite3";
import MiniSearch from "minisearch";
import { stemmer } from "stemmer";
import winkBm25 from "wink-bm25-text-search";
import nlp from "wink-nlp-utils";
import { resolveStopwords } from "../../src/analysis/stopwords.js";
import { LexicalIndex } from "../../src/lexical/lexical-index.js";
import { DEFAULT_BM25 } from "../../src/lexical/options.js";
import type { Document } from "../../src/types.js";
import { ROOT } from "./benchmarks-md.js";

/** The shared BM25 parameters of the controlled quality column: pairlift's (Anserini's) defaults. */
export const SHARED = { k1: DEFAULT_BM25.k1, b: DEFAULT_BM25.b };

/** A document as every peer gets it: one field holding the title and the text. */
export interface FlatDocument {
  id: string;
  body: string;
}

export interface Corpus {
  documents: Document[];
  flat: FlatDocument[];
}

export type Hits = Array<[id: string, score: number]>;

export interface BuiltEngine {
  search(query: string, k: number): Hits;
  close?(): void;
}

export interface EngineSpec {
  name: string;
  version: string;
  /** How it is set up, for the settings table. */
  settings: string;
  /** Its own default BM25 parameters, as a label. */
  defaults: string;
  /** Builds an index; `shared` asks for k1 = 0.9, b = 0.4 where the engine can take them. */
  build(corpus: Corpus, shared: boolean): BuiltEngine;
  /** False when BM25 parameters cannot be set (FTS5's bm25() fixes k1 = 1.2, b = 0.75). */
  tunable: boolean;
}

/** The installed version of a package, from its package.json under node_modules. */
function versionOf(pkg: string): string {
  return readPackageVersion(join(ROOT, "node_modules", pkg, "package.json"));
}

/** pairlift's default stop set (Snowball's English list), given to every peer that takes one. */
const STOPWORD_SET = resolveStopwords("snowball");
const STOPWORDS = [...STOPWORD_SET];

/** MiniSearch's processTerm: lowercase, drop Snowball's English stopwords, Porter-stem. */
function miniSearchTerm(term: string): string | null {
  const lower = term.toLowerCase();
  return STOPWORD_SET.has(lower) ? null : stemmer(lower);
}

/** An FTS5 MATCH expression: each word quoted (quotes doubled), joined by OR. */
function fts5OrQuery(text: string): string {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return words
    .filter((word) => !STOPWORD_SET.has(word))
    .map((word) => `"${word.replaceAll('"', '""')}"`)
    .join(" OR ");
}

export const ENGINES: EngineSpec[] = [
  {
    name: "pairlift",
    version: readPackageVersion(join(ROOT, "package.json")),
    settings:
      "`LexicalIndex.create()` defaults: fields title + text (weight 1 each = one flat field), " +
      "Snowball's English stopwords, Porter stemmer, identifier-aware tokens",
    defaults: "k1 0.9, b 0.4",
    tunable: true,
    build(corpus) {
      // Its defaults are the shared parameters, so both quality columns use the same index.
      const index = LexicalIndex.create();
      for (const document of corpus.documents) index.add(document);
      return {
        search: (query, k) => index.search(query, { k }).map((hit) => [hit.id, hit.score]),
      };
    },
  },
  {
    name: "MiniSearch",
    version: versionOf("minisearch"),
    settings:
      "default tokenizer; `processTerm`: lowercase, Snowball's English stopwords dropped, Porter " +
      "stemmer (`stemmer` package); `combineWith: 'OR'`, no prefix/fuzzy; BM25+ (its only " +
      "scoring); results sliced to k (its `search` returns every match)",
    defaults: "k 1.2, b 0.7, d 0.5",
    tunable: true,
    build(corpus, shared) {
      const index = new MiniSearch<FlatDocument>({
        fields: ["body"],
        idField: "id",
        processTerm: miniSearchTerm,
        searchOptions: {
          combineWith: "OR",
          prefix: false,
          fuzzy: false,
          ...(shared ? { bm25: { k: SHARED.k1, b: SHARED.b, d: 0.5 } } : {}),
        },
      });
      index.addAll(corpus.flat);
      return {
        search: (query, k) =>
          index
            .search(query)
            .slice(0, k)
            .map((hit) => [String(hit.id), hit.score]),
      };
    },
  },
  {
    name: "Orama",
    version: versionOf("@orama/orama"),
    settings:
      "built-in tokenizer with `stemming: true` (its bundled English stemmer) and " +
      "`stopWords`: Snowball's English list; full-text mode, `threshold: 1` (documents matching any term, " +
      "its default), `tolerance: 0`; BM25+ (its only scoring)",
    defaults: "k 1.2, b 0.75, d 0.5",
    tunable: true,
    build(corpus, shared) {
      const db = createOrama({
        schema: { body: "string" } as const,
        components: { tokenizer: { language: "english", stemming: true, stopWords: STOPWORDS } },
      });
      for (const document of corpus.flat) {
        const inserted = oramaInsert(db, document);
        if (inserted instanceof Promise) throw new Error("Orama insert went async");
      }
      const relevance = shared ? { k: SHARED.k1, b: SHARED.b, d: 0.5 } : undefined;
      return {
        search(query, k) {
          const results = oramaSearch(db, {
            term: query,
            limit: k,
            threshold: 1,
            tolerance: 0,
            ...(relevance === undefined ? {} : { relevance }),
          });
          if (results instanceof Promise) throw new Error("Orama search went async");
          return results.hits.map((hit) => [hit.id, hit.score]);
        },
      };
    },
  },
  {
    name: "wink-bm25",
    version: versionOf("wink-bm25-text-search"),
    settings:
      "one field (weight 1); prep tasks from its README with `wink-nlp-utils`: lowerCase, " +
      "tokenize0, removeWords (its stopword list), stem (Porter2), propagateNegations; " +
      "consolidate(4)",
    defaults: "k1 1.2, b 0.75",
    tunable: true,
    build(corpus, shared) {
      const engine = winkBm25();
      engine.defineConfig({
        fldWeights: { body: 1 },
        ...(shared ? { bm25Params: { k1: SHARED.k1, b: SHARED.b } } : {}),
      });
      engine.definePrepTasks([
        nlp.string.lowerCase,
        nlp.string.tokenize0,
        nlp.tokens.removeWords,
        nlp.tokens.stem,
        nlp.tokens.propagateNegations,
      ]);
      for (const document of corpus.flat) engine.addDoc({ body: document.body }, document.id);
      engine.consolidate();
      return { search: (query, k) => engine.search(query, k) };
    },
  },
  {
    name: "SQLite FTS5",
    version: `better-sqlite3 ${versionOf("better-sqlite3")}, SQLite ${sqliteVersion()}`,
    settings:
      "in-memory database; `fts5(id UNINDEXED, body, tokenize = 'porter unicode61')`, rows " +
      "inserted in one transaction; query = the query's words, each quoted, joined by OR " +
      "(Snowball's English stopwords left out, as FTS5 has no stopword list); " +
      "`ORDER BY rank` (= `bm25()`) `LIMIT k`",
    defaults: "k1 1.2, b 0.75 (fixed)",
    tunable: false,
    build(corpus) {
      const db = new Database(":memory:");
      db.exec(
        "CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, body, tokenize = 'porter unicode61')",
      );
      const insert = db.prepare("INSERT INTO docs (id, body) VALUES (?, ?)");
      db.transaction((documents: FlatDocument[]) => {
        for (const document of documents) insert.run(document.id, document.body);
      })(corpus.flat);
      const select = db
        .prepare("SELECT id, rank FROM docs WHERE docs MATCH ? ORDER BY rank LIMIT ?")
        .raw(true);
      return {
        search(query, k) {
          const match = fts5OrQuery(query);
          if (match === "") return [];
          const rows = select.all(match, k) as Array<[string, number]>;
          // bm25() is negated so that ORDER BY ascending puts the best first.
          return rows.map(([id, rank]) => [id, -rank]);
        },
        close: () => db.close(),
      };
    },
  },
];

/** The corpus as the engines take it: documents, and one title + text body each for the peers. */
export function flatten(documents: Document[]): Corpus {
  return {
    documents,
    flat: documents.map((document) => ({
      id: document.id,
      body: `${document.title}\n${document.text}`,
    })),
  };
}

function readPackageVersion(path: string): string {
  return (JSON.parse(readFileSync(path, "utf8")) as { version: string }).version;
}

function sqliteVersion(): string {
  const db = new Database(":memory:");
  const row = db.prepare("SELECT sqlite_version() AS version").get() as { version: string };
  db.close();
  return row.version;
}
