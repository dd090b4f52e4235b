/**
 * Rerank answers for the hosted-reranker tests, in each API's documented shape, served by the
 * in-process server of fake-embedding-api.ts. Answers list results sorted by relevance, best
 * first, as the real APIs do, so a client that reads them in array order gets them wrong.
 */
export type RerankWire = "cohere" | "jina" | "voyage" | "mixedbread" | "tei";

/** A deterministic relevance: a tenth of the text's length (3 chars → 0.3). */
export function fakeRelevance(text: string): number {
  return text.length / 10;
}

/** The documents of a recorded request body, whatever the API calls the field. */
export function documentsOf(wire: RerankWire, body: unknown): string[] {
  const record = body as Record<string, unknown>;
  const key = wire === "mixedbread" ? "input" : wire === "tei" ? "texts" : "documents";
  const documents = record[key];
  if (!Array.isArray(documents)) throw new Error(`no ${key} in ${JSON.stringify(body)}`);
  return documents as string[];
}

/** The key each API puts a result's score under. */
export function scoreKeyOf(wire: RerankWire): string {
  return wire === "mixedbread" || wire === "tei" ? "score" : "relevance_score";
}

/** Wraps result items (possibly malformed) in the API's answer envelope. */
export function answerWith(wire: RerankWire, items: unknown[]): unknown {
  switch (wire) {
    case "cohere":
      return {
        id: "07734bd2",
        results: items,
        meta: { api_version: { version: "2" }, billed_units: { search_units: 1 } },
      };
    case "jina":
      return { model: "m", usage: { total_tokens: 10 }, results: items };
    case "voyage":
      return { object: "list", data: items, model: "m", usage: { total_tokens: 10 } };
    case "mixedbread":
      return {
        object: "list",
        model: "m",
        top_k: items.length,
        return_input: false,
        data: items,
        usage: { prompt_tokens: 10, total_tokens: 10 },
      };
    case "tei":
      return items;
  }
}

/** A well-formed answer scoring every document with `score`, best first. */
export function rankedAnswer(
  wire: RerankWire,
  documents: readonly string[],
  score: (text: string) => number = fakeRelevance,
): unknown {
  const key = scoreKeyOf(wire);
  const items = documents
    .map((text, index) => ({ index, [key]: score(text) }))
    .sort((a, b) => (b[key] as number) - (a[key] as number));
  return answerWith(wire, items);
}

/** Rerank candidates with ids d0, d1, … for these texts. */
export function candidatesOf(
  texts: readonly string[],
): { id: string; text: string; features: Record<string, number> }[] {
  return texts.map((text, i) => ({ id: `d${i}`, text, features: {} }));
}
