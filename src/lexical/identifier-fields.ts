/**
 * Catalogue fields that hold a product's own code, found by their name: a corpus whose records
 * carry `sku`, `mpn`, `gtin`, `model_number` … gets them indexed as `identifier` fields without
 * being asked, so `pairlift index catalogue.jsonl` finds the product that *is* `KT-2040` before
 * the belt hook whose description mentions it. A `--field` (or `fields:` in the config) turns
 * detection off: the fields given are the fields indexed.
 */
import { isIdentifierFieldName } from "../io/identifier-columns.js";
import type { FieldSpec } from "./options.js";

/**
 * Weight of a detected identifier field. Measured on the demo catalogue's identifier queries
 * with the exact-match guard (BENCHMARKS.md, identifiers): 1 left accessories above their
 * product, 5 put the product first without costing natural-language queries.
 */
export const DETECTED_IDENTIFIER_WEIGHT = 5;

/** The identifier fields among a record's keys (metadata of the first document of a corpus). */
export function detectIdentifierFields(keys: Iterable<string>): FieldSpec[] {
  const found: FieldSpec[] = [];
  for (const key of keys) {
    if (isIdentifierFieldName(key)) {
      found.push({ name: key, weight: DETECTED_IDENTIFIER_WEIGHT, role: "identifier" });
    }
  }
  return found;
}
