import { stemmer as porter } from "stemmer";

export type StemmerSetting = "porter" | "none";

/** Porter (1980), as Lucene's PorterStemFilter and Anserini's default. Memoised: stemming dominates analysis time. */
export function createStemmer(setting: StemmerSetting): (word: string) => string {
  if (setting === "none") return (word) => word;
  const memo = new Map<string, string>();
  return (word) => {
    let stem = memo.get(word);
    if (stem === undefined) {
      stem = porter(word);
      // Bound memory on unbounded vocabularies; re-stemming is cheap compared with growing forever.
      if (memo.size > 500_000) memo.clear();
      memo.set(word, stem);
    }
    return stem;
  };
}
