import { DEFAULT_ANALYZER_OPTIONS, type AnalyzerOptions } from "../analysis/analyzer.js";
import { PairliftError } from "../errors.js";

/** A document field that is indexed, and how much its term frequencies count. */
export interface FieldSpec {
  /** `title`, `text`, or a metadata key. */
  name: string;
  /** Multiplies the field's term frequencies and length (BM25F-style); 1 for both = one flat field. */
  weight: number;
}

/** Lucene's BM25: idf · tf / (tf + k1 · (1 − b + b · dl / avgdl)). */
export interface Bm25Params {
  /** Term-frequency saturation, ≥ 0 (default 0.9, Anserini's BEIR baseline). */
  k1: number;
  /** Length normalisation, 0..1 (default 0.4, Anserini's BEIR baseline). */
  b: number;
}

export interface LexicalIndexOptions {
  fields: FieldSpec[];
  analyzer: AnalyzerOptions;
  bm25: Bm25Params;
}

export interface LexicalIndexOptionsInput {
  fields?: FieldSpec[];
  analyzer?: Partial<AnalyzerOptions>;
  bm25?: Partial<Bm25Params>;
}

export const DEFAULT_BM25: Readonly<Bm25Params> = Object.freeze({ k1: 0.9, b: 0.4 });

export const DEFAULT_FIELDS: readonly FieldSpec[] = Object.freeze([
  Object.freeze({ name: "title", weight: 1 }),
  Object.freeze({ name: "text", weight: 1 }),
]);

export function resolveLexicalOptions(input: LexicalIndexOptionsInput = {}): LexicalIndexOptions {
  const options: LexicalIndexOptions = {
    fields: (input.fields ?? DEFAULT_FIELDS).map((field) => ({ ...field })),
    analyzer: { ...DEFAULT_ANALYZER_OPTIONS, ...input.analyzer },
    bm25: resolveBm25(input.bm25),
  };
  if (options.fields.length === 0) {
    throw new PairliftError("E_CONFIG", "at least one field must be indexed", { field: "fields" });
  }
  const names = new Set<string>();
  for (const [i, field] of options.fields.entries()) {
    if (names.has(field.name)) {
      throw new PairliftError("E_CONFIG", `field "${field.name}" listed twice`, {
        field: `fields[${i}]`,
      });
    }
    names.add(field.name);
    if (!(field.weight >= 0 && Number.isFinite(field.weight))) {
      throw new PairliftError(
        "E_CONFIG",
        `weight must be a finite number ≥ 0, got ${field.weight}`,
        {
          field: `fields[${i}].weight`,
        },
      );
    }
  }
  return options;
}

export function resolveBm25(input: Partial<Bm25Params> = {}): Bm25Params {
  const params = { ...DEFAULT_BM25, ...input };
  if (!(params.k1 >= 0 && Number.isFinite(params.k1))) {
    throw new PairliftError("E_CONFIG", `k1 must be a finite number ≥ 0, got ${params.k1}`, {
      field: "bm25.k1",
    });
  }
  if (!(params.b >= 0 && params.b <= 1)) {
    throw new PairliftError("E_CONFIG", `b must be between 0 and 1, got ${params.b}`, {
      field: "bm25.b",
    });
  }
  return params;
}
