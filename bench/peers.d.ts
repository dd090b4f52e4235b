// Types for the two benchmark peers that ship none; only what bench/bm25.bench.ts calls.

declare module "wink-bm25-text-search" {
  interface WinkBm25Config {
    fldWeights: Record<string, number>;
    bm25Params?: { k1?: number; b?: number; k?: number };
    ovFldNames?: string[];
  }
  type PrepTask = (input: never) => unknown;
  interface WinkBm25Engine {
    defineConfig(config: WinkBm25Config): boolean;
    definePrepTasks(tasks: PrepTask[], field?: string): number;
    addDoc(doc: Record<string, string>, uniqueId: string): number;
    consolidate(fp?: number): boolean;
    /** `[uniqueId, score]` pairs, best first. */
    search(text: string, limit?: number): Array<[string, number]>;
  }
  const bm25: () => WinkBm25Engine;
  export default bm25;
}

declare module "wink-nlp-utils" {
  const nlp: {
    string: {
      lowerCase: (text: string) => string;
      tokenize0: (text: string) => string[];
    };
    tokens: {
      removeWords: (tokens: string[]) => string[];
      stem: (tokens: string[]) => string[];
      propagateNegations: (tokens: string[]) => string[];
    };
  };
  export default nlp;
}
