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
  type ProbeReport,
} from "./eval/evaluate-dataset.js";

// Slices, comparisons and the regression gate
export {
  AUTOMATIC_SLICES,
  DEFAULT_MIN_SLICE_QUERIES,
  TAG_SLICE_PREFIX,
  assignSlices,
  automaticSlicesOf,
  indexTermStatistics,
  summarizeSlices,
  type SliceResult,
  type TermStatistics,
} from "./eval/slices/slices.js";
export { isIdentifierLike, isQuestion } from "./analysis/query-shape.js";
export {
  loadSliceFile,
  parseSliceFile,
  type SliceDefinition,
  type SliceFile,
} from "./eval/slices/slice-file.js";
export {
  compareReports,
  type ComparableReport,
  type Comparison,
  type CompareOptions,
  type MetricComparison,
  type SliceComparison,
} from "./eval/compare/compare-reports.js";
export {
  pairedTest,
  type PairedTestOptions,
  type PairedTestResult,
} from "./eval/compare/paired.js";
export { holmAdjust } from "./eval/compare/holm.js";
export { studentTTwoSidedP, regularizedIncompleteBeta } from "./eval/compare/student-t.js";
export {
  evaluateGate,
  gateConfigSchema,
  gateVerdict,
  type GateConfig,
  type GateConfigInput,
  type GateFailure,
  type GateResult,
} from "./eval/compare/gate.js";
export { comparisonMarkdown, gateVerdictMarkdown } from "./eval/compare/markdown.js";
export {
  buildProbeSet,
  writeProbeSet,
  verifyProbeDataset,
  type ProbeManifest,
  type ProbeOptions,
  type ProbeSet,
} from "./lab/probe.js";

// Serving (`pairlift serve`) and the feedback loop
export { createServer, type PairliftServer, type ServerOptions } from "./serve/server.js";
export {
  openServingSet,
  type LoadServingSet,
  type OpenServingSetOptions,
  type ServingSet,
} from "./serve/serving-set.js";
export {
  loadServeConfig,
  parseServeConfig,
  serveConfigSchema,
  type ServeConfig,
  type ServeConfigInput,
} from "./serve/config.js";
export { QueryLog, type FeedbackSignal } from "./serve/query-log.js";
export { ALERT_TYPES, type Alert, type AlertType } from "./serve/monitors/types.js";
export {
  exportFeedback,
  type FeedbackExportOptions,
  type FeedbackExportReport,
} from "./lab/feedback-export.js";

// The lab (`pairlift lab`): sweep, Pareto fronts, recommendation and reports
export {
  runLab,
  LabInterrupted,
  type LabEvent,
  type LabRun,
  type RunLabOptions,
} from "./lab/sweep/runner.js";
export {
  analyzeLab,
  type BaselineComparison,
  type ConfigurationSummary,
  type LabReport,
} from "./lab/sweep/analyze.js";
export {
  expandGrid,
  type FirstStage,
  type FusionVariant,
  type LabConfiguration,
} from "./lab/sweep/grid.js";
export type { ConfigurationResult, LatencyResult } from "./lab/sweep/result.js";
export type { ReproducibilityRecord } from "./lab/sweep/record.js";
export {
  DEMO_DATASET,
  LAB_DEFAULTS,
  labConfigSchema,
  resolveLabSettings,
  type LabConfigInput,
  type LabOverrides,
  type LabSettings,
} from "./lab/lab-config.js";
export { dominates, paretoFront, type ParetoFront, type ParetoPoint } from "./lab/pareto.js";
export {
  recommend,
  type RecommendCandidate,
  type Recommendation,
  type RecommendOptions,
} from "./lab/recommend.js";
export { labReportMarkdown } from "./report/markdown.js";
export { labReportHtml } from "./report/html.js";
export { labReportJson, writeLabReports, type WrittenReports } from "./report/write.js";

// CLI, callable in-process
export { runCli, EXIT } from "./cli/program.js";
export { bufferIO, type CliIO } from "./cli/io.js";
