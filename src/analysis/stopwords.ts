/**
 * Lucene's English stop set (EnglishAnalyzer.ENGLISH_STOP_WORDS_SET), the one Anserini's BEIR
 * baselines use. Kept short on purpose: BM25's IDF already discounts common words.
 */
export const LUCENE_ENGLISH_STOPWORDS: ReadonlySet<string> = new Set([
  "a",
  "an",
  "and",
  "are",
  "as",
  "at",
  "be",
  "but",
  "by",
  "for",
  "if",
  "in",
  "into",
  "is",
  "it",
  "no",
  "not",
  "of",
  "on",
  "or",
  "such",
  "that",
  "the",
  "their",
  "then",
  "there",
  "these",
  "they",
  "this",
  "to",
  "was",
  "will",
  "with",
]);

export type StopwordSetting = "lucene" | "none" | readonly string[];

export function resolveStopwords(setting: StopwordSetting): ReadonlySet<string> {
  if (setting === "lucene") return LUCENE_ENGLISH_STOPWORDS;
  if (setting === "none") return new Set();
  return new Set(setting.map((word) => word.normalize("NFKC").toLowerCase()));
}
