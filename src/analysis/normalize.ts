const POSSESSIVE = /['’]s\b/gu;
const INNER_APOSTROPHE = /(?<=\p{L})['’](?=\p{L})/gu;

/** NFKC (full-width and compatibility forms fold: `ＫＴ－２０４０` → `kt-2040`), lowercase, possessives removed. */
export function normalizeText(text: string): string {
  return text.normalize("NFKC").toLowerCase().replace(POSSESSIVE, "").replace(INNER_APOSTROPHE, "");
}
