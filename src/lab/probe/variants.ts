/**
 * The queries a user types for one identifier: as printed, inside a short sentence, and in the
 * formats people actually use (other case, separators dropped or added, a space inside, a
 * character missing at either end). Each variant type becomes a slice of the probe set.
 */
import { joinIdentifier } from "../../analysis/identifiers.js";
import { normalizeText } from "../../analysis/normalize.js";
import { isIdentifierLike } from "../../analysis/query-shape.js";

export const VARIANT_TYPES = Object.freeze([
  "bare",
  "sentence",
  "case",
  "no-separator",
  "hyphenated",
  "spaced",
  "drop-first",
  "drop-last",
] as const);
export type VariantType = (typeof VARIANT_TYPES)[number];

/** Short sentences around the identifier; `{id}` is replaced. */
export const SENTENCE_TEMPLATES: readonly string[] = Object.freeze([
  "what is known about {id}",
  "looking for {id}",
  "information on {id} please",
  "details of {id}",
  "documents that mention {id}",
]);

export interface Variant {
  type: VariantType;
  text: string;
}

const SEPARATOR = /[-/._]/u;
const BOUNDARY = /(?<=\p{L})(?=\p{N})|(?<=\p{N})(?=\p{L})/u;
const EDGE_SEPARATORS = /^[-/._]+|[-/._]+$/gu;
/** A dropped-character variant shorter than this matches too much to mean one thing. */
const MIN_TRUNCATED_LENGTH = 3;

/** The form the index matches identifiers on: NFKC, lowercase, separators removed. */
export function identifierKey(token: string): string {
  return joinIdentifier(normalizeText(token));
}

export interface VariantOptions {
  /** The sentence template for this identifier (one of SENTENCE_TEMPLATES, chosen by the caller). */
  template: string;
  /**
   * Whether a shortened form (its identifierKey) still points at this identifier alone; the
   * drop variants are written only when it does.
   */
  isUnambiguous: (key: string) => boolean;
}

/** Every variant of `surface` (the identifier as printed), without duplicate texts. */
export function identifierVariants(surface: string, options: VariantOptions): Variant[] {
  const variants: Variant[] = [];
  const seen = new Set<string>();
  const add = (type: VariantType, text: string | undefined): void => {
    if (text === undefined || text === "" || seen.has(text)) return;
    seen.add(text);
    variants.push({ type, text });
  };
  add("bare", surface);
  add("sentence", options.template.replace("{id}", surface));
  const lower = surface.toLowerCase();
  add("case", surface === lower ? surface.toUpperCase() : lower);
  const hasSeparator = SEPARATOR.test(surface);
  if (hasSeparator) add("no-separator", surface.replace(/[-/._]/gu, ""));
  const boundary = BOUNDARY.exec(surface)?.index;
  if (!hasSeparator && boundary !== undefined)
    add("hyphenated", `${surface.slice(0, boundary)}-${surface.slice(boundary)}`);
  if (hasSeparator) add("spaced", surface.replace(SEPARATOR, " "));
  else if (boundary !== undefined)
    add("spaced", `${surface.slice(0, boundary)} ${surface.slice(boundary)}`);
  for (const [type, shortened] of [
    ["drop-first", surface.slice(1)],
    ["drop-last", surface.slice(0, -1)],
  ] as const) {
    const trimmed = shortened.replace(EDGE_SEPARATORS, "");
    if (
      trimmed.length >= MIN_TRUNCATED_LENGTH &&
      isIdentifierLike(trimmed) &&
      options.isUnambiguous(identifierKey(trimmed))
    )
      add(type, trimmed);
  }
  return variants;
}
