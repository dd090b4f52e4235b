import { DEFAULT_ANALYZER_OPTIONS, type AnalyzerOptions } from "../analysis/analyzer.js";
import { PairliftError } from "../errors.js";

/**
 * How a field's text becomes terms:
 * - `text`: words (lowercased, stopwords dropped, stemmed) and identifiers (whole, parts, joined);
 * - `identifier`: codes only (SKUs, model and part numbers): every token as itself, its parts
 *   and its joined form, never stemmed, no stopwords;
 * - `keyword`: the exact value (a brand, a category) as one term, matched only by the same
 *   words in the query.
 */
export type FieldRole = "text" | "identifier" | "keyword";
export const FIELD_ROLES: readonly FieldRole[] = Object.freeze(["text", "identifier", "keyword"]);

/** A document field that is indexed, and how much its term frequencies count. */
export interface FieldSpec {
  /** `title`, `text`, or a metadata key (or a column of a JSONL/CSV/TSV corpus). */
  name: string;
  /** Multiplies the field's term frequencies and length (BM25F-style); 1 for both = one flat field. */
  weight: number;
  /** Default `text`. */
  role?: FieldRole;
  /**
   * Length normalisation of this field alone, 0..1. `text` fields without it share one
   * normalisation over their combined length (with `bm25.b`); every other field is normalised
   * on its own (default `bm25.b`). See Bm25Weights.
   */
  b?: number;
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

/**
 * Query weight of an identifier's parts when the index has identifier fields (a catalogue):
 * there `kt` and `2040` of `KT-2040` match accessories and siblings more than the product, and
 * halving them lifted the demo's identifier queries without touching natural-language ones
 * (BENCHMARKS.md, identifiers). Without identifier fields parts keep weight 1: in scientific
 * text `IL 6` is `IL-6`, and lower weights cost SciFact nDCG@10.
 */
export const CATALOGUE_PARTS_WEIGHT = 0.5;

export function resolveLexicalOptions(input: LexicalIndexOptionsInput = {}): LexicalIndexOptions {
  const fields = (input.fields ?? DEFAULT_FIELDS).map((field) => ({ ...field }));
  const catalogue = fields.some((field) => field.role === "identifier");
  const options: LexicalIndexOptions = {
    fields,
    analyzer: {
      ...DEFAULT_ANALYZER_OPTIONS,
      ...(catalogue ? { identifierPartsWeight: CATALOGUE_PARTS_WEIGHT, splitCodes: true } : {}),
      ...input.analyzer,
    },
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
    if (field.role !== undefined && !FIELD_ROLES.includes(field.role)) {
      throw new PairliftError(
        "E_CONFIG",
        `role must be one of ${FIELD_ROLES.join(", ")}, got ${JSON.stringify(field.role)}`,
        { field: `fields[${i}].role` },
      );
    }
    if (field.b !== undefined && !(field.b >= 0 && field.b <= 1)) {
      throw new PairliftError("E_CONFIG", `b must be between 0 and 1, got ${field.b}`, {
        field: `fields[${i}].b`,
      });
    }
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

/**
 * A field from the command line: `name[:role][:weight][:b]`, e.g. `sku:identifier:5`,
 * `brand:keyword`, `title:text:2`. Role defaults to `text`, weight to 1.
 */
export function parseFieldSpec(text: string): FieldSpec {
  const [name, role, weight, b, ...rest] = text.split(":");
  const usage = `expected name[:role][:weight][:b] with role ${FIELD_ROLES.join("|")}, e.g. sku:identifier:5`;
  if (name === undefined || name === "" || rest.length > 0) {
    throw new PairliftError("E_USAGE", `bad field "${text}": ${usage}`, { field: "--field" });
  }
  const spec: FieldSpec = { name, weight: 1 };
  if (role !== undefined && role !== "") {
    if (!FIELD_ROLES.includes(role as FieldRole)) {
      throw new PairliftError("E_USAGE", `bad role "${role}" in field "${text}": ${usage}`, {
        field: "--field",
      });
    }
    spec.role = role as FieldRole;
  }
  const number = (value: string, what: string): number => {
    const parsed = Number(value);
    if (value.trim() === "" || !Number.isFinite(parsed)) {
      throw new PairliftError("E_USAGE", `bad ${what} "${value}" in field "${text}": ${usage}`, {
        field: "--field",
      });
    }
    return parsed;
  };
  if (weight !== undefined && weight !== "") spec.weight = number(weight, "weight");
  if (b !== undefined && b !== "") spec.b = number(b, "b");
  return spec;
}

/**
 * `--field` specs over the default title and text fields: a spec named `title` or `text`
 * replaces that field, any other name adds one.
 */
export function withFieldSpecs(specs: readonly FieldSpec[]): FieldSpec[] {
  const fields: FieldSpec[] = DEFAULT_FIELDS.map((field) => ({ ...field }));
  for (const spec of specs) {
    const at = fields.findIndex((field) => field.name === spec.name);
    if (at >= 0) fields[at] = { ...spec };
    else fields.push({ ...spec });
  }
  return fields;
}
