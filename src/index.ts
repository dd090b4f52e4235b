/** pairlift's public API. Everything not re-exported here is internal. */
export { PairliftError, isPairliftError, type ErrorCode, type ErrorLocation } from "./errors.js";
export type { Document, Query, Qrels, Run } from "./types.js";
export { VERSION } from "./version.js";

// Formats
export {
  beirPaths,
  loadBeirSplit,
  readBeirCorpus,
  readBeirQrels,
  readBeirQueries,
  writeBeirDataset,
  type BeirDataset,
  type BeirPaths,
} from "./io/beir.js";
export {
  readCorpus,
  detectCorpusFormat,
  type CorpusFormat,
  type CorpusSource,
  type FieldMapping,
} from "./io/corpus.js";
export {
  formatTrecRun,
  parseTrecQrels,
  parseTrecRun,
  readTrecQrels,
  readTrecRun,
  writeTrecRun,
  type TrecRunWriteOptions,
} from "./io/trec.js";

// Text analysis and BM25
export { Analyzer, DEFAULT_ANALYZER_OPTIONS, type AnalyzerOptions } from "./analysis/analyzer.js";
export { isIdentifierToken, joinIdentifier } from "./analysis/identifiers.js";
export {
  LexicalIndex,
  MAX_QUERY_CHARS,
  type Explanation,
  type LexicalHit,
  type LexicalSearchOptions,
  type TermExplanation,
} from "./lexical/lexical-index.js";
export {
  DEFAULT_BM25,
  DEFAULT_FIELDS,
  type Bm25Params,
  type FieldSpec,
  type LexicalIndexOptions,
  type LexicalIndexOptionsInput,
} from "./lexical/options.js";
export { loadLexicalIndex, saveLexicalIndex, LEXICAL_FORMAT_VERSION } from "./lexical/format.js";

// Index directories
export {
  addDocuments,
  buildIndex,
  openIndex,
  removeDocuments,
  writeIndexDir,
  type BuildStats,
  type IndexManifest,
  type OpenIndex,
} from "./store/index-store.js";
export { cachedIndex } from "./store/index-cache.js";

// Pipelines and evaluation
export {
  createPipeline,
  type Pipeline,
  type PipelineHit,
  type PipelineResult,
} from "./pipeline/pipeline.js";
export { evaluate, type EvaluateOptions, type EvaluationResult } from "./eval/evaluate.js";
export {
  parseMetricName,
  parseMetricNames,
  parseTrecMeasures,
  type MetricSpec,
} from "./eval/measures.js";
export { formatTrecEval } from "./eval/trec-eval-format.js";
export {
  evaluateDataset,
  DEFAULT_EVAL_METRICS,
  type EvalReport,
  type EvaluateDatasetOptions,
} from "./eval/evaluate-dataset.js";

// CLI, callable in-process
export { runCli, EXIT } from "./cli/program.js";
export { bufferIO, type CliIO } from "./cli/io.js";
