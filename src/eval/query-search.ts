import { PairliftError } from "../errors.js";
import { queryLocation } from "../io/beir.js";
import type { Pipeline, PipelineResult } from "../pipeline/pipeline.js";
import type { Query } from "../types.js";

/**
 * Runs one query of a dataset through a pipeline. A query that fails (empty, a pasted
 * document, a model that gave up) is an error naming the queries file, the line and the
 * query id, so the one bad line among thousands can be found.
 */
export async function searchQuery(
  pipeline: Pipeline,
  query: Query,
  k: number,
  context?: string,
): Promise<PipelineResult> {
  try {
    return await pipeline.search(query.text, k);
  } catch (error) {
    throw queryError(query, error, context);
  }
}

/** `error`, for query `query`: located at its line of queries.jsonl, with its id and `context`. */
export function queryError(query: Query, error: unknown, context?: string): PairliftError {
  const where = queryLocation(query);
  // An error that names a file of its own (a model, an index) keeps it in the message.
  const reason =
    error instanceof PairliftError
      ? error.file === undefined
        ? error.reason
        : error.message
      : error instanceof Error
        ? error.message
        : String(error);
  return new PairliftError(
    error instanceof PairliftError ? error.code : "E_REMOTE",
    `${context === undefined ? "" : `${context}, `}query ${JSON.stringify(query.id)}: ${reason}`,
    where === undefined ? {} : { ...where, field: "text" },
    error,
  );
}
