/** The data nouns every part of pairlift shares. */

export interface Document {
  id: string;
  title: string;
  text: string;
  metadata?: Record<string, unknown>;
}

export interface Query {
  id: string;
  text: string;
  metadata?: Record<string, unknown>;
}

/** Relevance judgments: query id → document id → grade (integer; relevant when ≥ 1). */
export type Qrels = Map<string, Map<string, number>>;

/** A ranking per query: query id → document id → score (higher is better). */
export type Run = Map<string, Map<string, number>>;
