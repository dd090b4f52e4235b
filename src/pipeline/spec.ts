import { PairliftError } from "../errors.js";

/** A pipeline named on the command line: `bm25` or `dense:<embedder>`. */
export type PipelineSpec = { kind: "bm25" } | { kind: "dense"; embedder: string };

export function parsePipelineSpec(text: string): PipelineSpec {
  if (text === "bm25") return { kind: "bm25" };
  const dense = /^dense:([A-Za-z][\w.-]*)$/.exec(text);
  if (dense !== null) return { kind: "dense", embedder: dense[1]! };
  throw new PairliftError(
    "E_CONFIG",
    `unknown pipeline "${text}"; available: bm25, dense:<embedder> (e.g. dense:use, dense:glove)`,
    {
      field: "pipeline",
    },
  );
}
