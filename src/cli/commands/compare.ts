import { Command, InvalidArgumentError } from "commander";
import { z } from "zod";
import { loadConfig } from "../../config/config-file.js";
import { parseWith } from "../../config/schema-errors.js";
import { PairliftError } from "../../errors.js";
import {
  compareReports,
  type ComparableReport,
  type Comparison,
} from "../../eval/compare/compare-reports.js";
import {
  evaluateGate,
  gateConfigSchema,
  gateVerdict,
  type GateConfigInput,
  type GateResult,
} from "../../eval/compare/gate.js";
import { comparisonMarkdown, gateVerdictMarkdown } from "../../eval/compare/markdown.js";
import {
  DEFAULT_PERMUTATIONS,
  DEFAULT_RESAMPLES,
  DEFAULT_SEED,
} from "../../eval/compare/paired.js";
import { DEFAULT_EVAL_METRICS, evaluateDataset } from "../../eval/evaluate-dataset.js";
import { writeFileAtomic } from "../../io/atomic-write.js";
import { readJsonFile } from "../../io/json-file.js";
import { collect, positiveInteger } from "../options.js";
import { EXIT, type CommandContext } from "../program.js";
import { stagedProgress } from "../progress.js";

interface CompareFlags {
  dataset?: string;
  pipelines?: string;
  split: string;
  config?: string;
  metrics?: string;
  depth: number;
  slices?: string;
  minSliceQueries?: number;
  seed: number;
  resamples: number;
  permutations: number;
  intersect?: boolean;
  json?: string;
  markdown?: string;
  gate?: boolean;
  gateMetric?: string;
  alpha?: number;
  critical?: string[];
  verdict?: string;
  condensed?: boolean;
  judgedThreshold?: number;
}

/** What compare reads from an eval JSON report; everything else in it is ignored. */
const reportFileSchema = z.looseObject({
  dataset: z.string().optional(),
  split: z.string().optional(),
  pipeline: z.string().optional(),
  perQuery: z.record(z.string(), z.record(z.string(), z.number())),
  slices: z
    .record(z.string(), z.looseObject({ queryIds: z.array(z.string()).optional() }))
    .optional(),
  judged: z
    .looseObject({ metric: z.string(), perQuery: z.record(z.string(), z.number()) })
    .optional(),
  condensed: z
    .looseObject({ perQuery: z.record(z.string(), z.record(z.string(), z.number())) })
    .optional(),
  probe: z
    .looseObject({
      dataset: z.string().optional(),
      perQuery: z.record(z.string(), z.record(z.string(), z.number())),
    })
    .optional(),
});

/** A report and, when `eval --probe` wrote one, its probe set's report. */
interface ReportFile {
  report: ComparableReport;
  probe?: ComparableReport;
}

async function readReport(file: string, condensed: boolean): Promise<ReportFile> {
  const raw = await readJsonFile(file, "eval report", "write one with `pairlift eval --json FILE`");
  const parsed = reportFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new PairliftError(
      "E_FIELD",
      `not an eval report (pairlift eval --json): ${issue.message}`,
      { file, field: issue.path.map(String).join(".") },
    );
  }
  const report = parsed.data;
  if (condensed && report.condensed === undefined) {
    throw new PairliftError(
      "E_FIELD",
      "--condensed needs reports with condensed scores: write them with `pairlift eval --condensed --json FILE`",
      { file, field: "condensed" },
    );
  }
  const probe =
    report.probe === undefined
      ? undefined
      : {
          perQuery: report.probe.perQuery,
          ...(report.probe.dataset === undefined ? {} : { dataset: report.probe.dataset }),
        };
  const main: ComparableReport = {
    perQuery: condensed ? report.condensed!.perQuery : report.perQuery,
    ...(report.judged === undefined ? {} : { judged: report.judged }),
    ...(report.dataset === undefined ? {} : { dataset: report.dataset }),
    ...(report.split === undefined ? {} : { split: report.split }),
    ...(report.pipeline === undefined ? {} : { pipeline: report.pipeline }),
    ...(report.slices === undefined ? {} : { slices: report.slices }),
  };
  return probe === undefined ? { report: main } : { report: main, probe };
}

function integer(value: string): number {
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed)) throw new InvalidArgumentError("expected an integer");
  return parsed;
}

function probability(value: string): number {
  const parsed = Number(value);
  if (!(parsed > 0 && parsed < 1)) throw new InvalidArgumentError("expected a number in (0, 1)");
  return parsed;
}

/** `identifier=0.01` → ["identifier", 0.01]. */
function criticalSlice(entry: string): [string, number] {
  const match = /^(.+)=([0-9.]+)$/.exec(entry);
  const maxDrop = Number(match?.[2]);
  if (match === null || !Number.isFinite(maxDrop)) {
    throw new PairliftError("E_USAGE", `--critical expects NAME=MAXDROP (got "${entry}")`, {
      field: "critical",
    });
  }
  return [match[1]!, maxDrop];
}

export function compareCommand(ctx: CommandContext): Command {
  return new Command("compare")
    .description(
      "Compare two systems query by query, overall and per slice, with paired significance tests; --gate fails (exit 3) on a regression",
    )
    .argument("[a]", "eval JSON report of system A (the baseline)")
    .argument("[b]", "eval JSON report of system B (the candidate)")
    .option("--dataset <dir>", "instead of reports: evaluate two pipelines on this BEIR folder")
    .option("--pipelines <a,b>", "with --dataset: the baseline and candidate pipelines")
    .option("--split <name>", "with --dataset: qrels split", "test")
    .option("--config <file>", "config file (pipelines, embedders, gate section)")
    .option("--metrics <list>", "comma-separated metrics (default: all both reports carry)")
    .option("--depth <n>", "with --dataset: documents retrieved per query", positiveInteger, 1000)
    .option("--slices <file>", "with --dataset: slice file (YAML)")
    .option(
      "--min-slice-queries <n>",
      "smaller slices are shown but not tested (default: the gate's minQueries, else 10)",
      positiveInteger,
    )
    .option("--seed <n>", "seed of the bootstrap and randomization test", integer, DEFAULT_SEED)
    .option("--resamples <n>", "bootstrap resamples", positiveInteger, DEFAULT_RESAMPLES)
    .option(
      "--permutations <n>",
      "randomization test permutations",
      positiveInteger,
      DEFAULT_PERMUTATIONS,
    )
    .option("--intersect", "compare only the queries both reports hold (default: refuse)")
    .option("--json <file>", "write the comparison (and gate result) as JSON")
    .option("--markdown <file>", "write the comparison tables as Markdown")
    .option("--gate", "fail with exit code 3 when B regresses (also on when the config has gate:)")
    .option("--gate-metric <name>", "the metric the gate judges (default ndcg@10)")
    .option("--alpha <p>", "the gate's significance level (default 0.05)", probability)
    .option(
      "--critical <name=maxdrop>",
      "a critical slice and the largest drop allowed (repeatable)",
      collect,
    )
    .option("--verdict <file>", "write the gate verdict as Markdown for a pull-request comment")
    .option(
      "--condensed",
      "compare scores on condensed lists (unjudged documents removed; eval --condensed)",
    )
    .option(
      "--judged-threshold <x>",
      "warn when the systems' judged@10 differ by more than this (default 0.1)",
      probability,
    )
    .action(async (fileA: string | undefined, fileB: string | undefined, flags: CompareFlags) => {
      const fromFiles = fileA !== undefined || fileB !== undefined;
      if (fromFiles === (flags.dataset !== undefined) || (fromFiles && fileB === undefined)) {
        throw new PairliftError(
          "E_USAGE",
          "give two eval reports (pairlift compare A.json B.json) or --dataset DIR --pipelines A,B",
        );
      }
      const config = await loadConfig(flags.config);
      const gateInput = gateSettings(flags, config.sections.gate, config.file);
      const minQueries =
        flags.minSliceQueries ?? gateInput?.minQueries ?? gateConfigSchema.parse({}).minQueries;
      const metrics = flags.metrics?.split(",").map((metric) => metric.trim());

      let a: ComparableReport;
      let b: ComparableReport;
      let labels: [string, string];
      let probes: [ComparableReport, ComparableReport] | undefined;
      if (fromFiles) {
        const condensed = flags.condensed === true;
        const [fileAReport, fileBReport] = await Promise.all([
          readReport(fileA!, condensed),
          readReport(fileB!, condensed),
        ]);
        [a, b] = [fileAReport.report, fileBReport.report];
        if (fileAReport.probe !== undefined && fileBReport.probe !== undefined) {
          probes = [fileAReport.probe, fileBReport.probe];
        }
        labels = [a.pipeline ?? fileA!, b.pipeline ?? fileB!];
        if (labels[0] === labels[1]) labels = [fileA!, fileB!];
      } else {
        const pipelines = (flags.pipelines ?? "").split(",").map((name) => name.trim());
        if (pipelines.length !== 2 || pipelines.some((name) => name === "")) {
          throw new PairliftError("E_USAGE", "--pipelines expects two names: A,B", {
            field: "pipelines",
          });
        }
        const reports: ComparableReport[] = [];
        for (const pipeline of pipelines) {
          const progress = stagedProgress(ctx.io);
          const { report } = await evaluateDataset({
            config,
            dataset: flags.dataset!,
            split: flags.split,
            pipeline,
            metrics: metrics ?? DEFAULT_EVAL_METRICS,
            depth: flags.depth,
            minSliceQueries: minQueries,
            ...(flags.slices === undefined ? {} : { slices: flags.slices }),
            ...(flags.condensed === true ? { condensed: true } : {}),
            onProgress: progress.onProgress,
          }).finally(() => progress.stop());
          reports.push(
            flags.condensed === true && report.condensed !== undefined
              ? { ...report, perQuery: report.condensed.perQuery }
              : report,
          );
        }
        [a, b] = reports as [ComparableReport, ComparableReport];
        labels = pipelines[0] === pipelines[1] ? ["A", "B"] : [pipelines[0]!, pipelines[1]!];
      }

      const comparison = compareReports(a, b, {
        seed: flags.seed,
        resamples: flags.resamples,
        permutations: flags.permutations,
        minQueries,
        intersect: flags.intersect === true,
        labels,
        ...(metrics === undefined ? {} : { metrics }),
        ...(flags.judgedThreshold === undefined ? {} : { judgedThreshold: flags.judgedThreshold }),
      });
      for (const warning of comparison.warnings) ctx.io.stderr(`pairlift: warning: ${warning}\n`);
      const gate = gateInput === undefined ? undefined : evaluateGate(comparison, gateInput);
      // The probe sets `eval --probe` wrote are judged by the same gate (their own slices aside).
      const probe =
        gate === undefined || probes === undefined
          ? undefined
          : probeGate(probes, labels, gateInput!, flags);
      await writeOutputs(flags, comparison, gate, probe);
      ctx.io.stdout(comparisonMarkdown(comparison));
      if (gate !== undefined) {
        ctx.io.stdout(`\n${gateVerdict(comparison, gate)}\n`);
        if (!gate.passed) ctx.setExitCode(EXIT.regression);
      }
      if (probe !== undefined) {
        ctx.io.stdout(`\n### Probe set\n\n${comparisonMarkdown(probe.comparison)}`);
        ctx.io.stdout(`\nProbe set: ${gateVerdict(probe.comparison, probe.gate)}\n`);
        if (!probe.gate.passed) ctx.setExitCode(EXIT.regression);
      }
    });
}

/** The gate's settings: the config's `gate:` section, overridden by flags; undefined when off. */
function gateSettings(
  flags: CompareFlags,
  section: unknown,
  file: string | undefined,
): GateConfigInput | undefined {
  const fromConfig =
    section === undefined ? undefined : parseWith(gateConfigSchema, section, file, ["gate"]);
  const wanted =
    flags.gate === true ||
    fromConfig !== undefined ||
    flags.verdict !== undefined ||
    flags.critical !== undefined;
  if (!wanted) return undefined;
  const settings: GateConfigInput = { ...(fromConfig ?? {}) };
  if (flags.gateMetric !== undefined) settings.metric = flags.gateMetric;
  if (flags.alpha !== undefined) settings.alpha = flags.alpha;
  if (flags.critical !== undefined) {
    settings.critical = {
      ...(settings.critical ?? {}),
      ...Object.fromEntries(
        flags.critical.map(criticalSlice).map(([name, maxDrop]) => [name, { maxDrop }]),
      ),
    };
  }
  return settings;
}

interface ProbeVerdict {
  comparison: Comparison;
  gate: GateResult;
}

function probeGate(
  [a, b]: [ComparableReport, ComparableReport],
  labels: [string, string],
  gateInput: GateConfigInput,
  flags: CompareFlags,
): ProbeVerdict {
  const comparison = compareReports(a, b, {
    seed: flags.seed,
    resamples: flags.resamples,
    permutations: flags.permutations,
    labels,
    intersect: flags.intersect === true,
    ...(gateInput.minQueries === undefined ? {} : { minQueries: gateInput.minQueries }),
  });
  // Critical slices name the main report's slices; the probe set is judged as a whole.
  return { comparison, gate: evaluateGate(comparison, { ...gateInput, critical: {} }) };
}

async function writeOutputs(
  flags: CompareFlags,
  comparison: Comparison,
  gate: GateResult | undefined,
  probe: ProbeVerdict | undefined,
): Promise<void> {
  if (flags.json !== undefined) {
    const probeDocument =
      probe === undefined
        ? {}
        : {
            probe: {
              comparison: probe.comparison,
              gate: { ...probe.gate, verdict: gateVerdict(probe.comparison, probe.gate) },
            },
          };
    const document =
      gate === undefined
        ? { comparison }
        : {
            comparison,
            gate: { ...gate, verdict: gateVerdict(comparison, gate) },
            ...probeDocument,
          };
    await writeFileAtomic(flags.json, `${JSON.stringify(document, null, 2)}\n`);
  }
  if (flags.markdown !== undefined) {
    const verdict = gate === undefined ? "" : `\n${gateVerdictMarkdown(comparison, gate)}`;
    await writeFileAtomic(flags.markdown, `${comparisonMarkdown(comparison)}${verdict}`);
  }
  if (flags.verdict !== undefined && gate !== undefined) {
    const probeVerdict =
      probe === undefined
        ? ""
        : `\n### Probe set\n\n${gateVerdictMarkdown(probe.comparison, probe.gate)}`;
    await writeFileAtomic(flags.verdict, `${gateVerdictMarkdown(comparison, gate)}${probeVerdict}`);
  }
}
