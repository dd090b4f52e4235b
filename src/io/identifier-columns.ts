/**
 * Record keys that name a product's own code (`sku`, `mpn`, `gtin`, `model_number` …): a
 * JSONL/CSV/TSV corpus read without a field mapping keeps them as metadata, so the index can
 * make identifier fields of them (lexical/identifier-fields.ts).
 */

/** Names, lowercased and without `_`, `-` and spaces. */
export const IDENTIFIER_FIELD_NAMES: readonly string[] = Object.freeze([
  "sku",
  "mpn",
  "gtin",
  "gtin13",
  "gtin14",
  "upc",
  "ean",
  "isbn",
  "asin",
  "model",
  "modelnumber",
  "modelno",
  "partnumber",
  "partno",
  "itemnumber",
  "productcode",
  "productid",
  "articlenumber",
]);

export function isIdentifierFieldName(key: string): boolean {
  return IDENTIFIER_FIELD_NAMES.includes(key.toLowerCase().replace(/[-_\s]/g, ""));
}
