/** The lab report as Markdown (report.md): the answer first, then the evidence, then how to reproduce it. */
import { basename } from "node:path";
import { markdownTable } from "../cli/format.js";
import type { ConfigurationSummary, LabReport } from "../lab/sweep/analyze.js";
import {
  costText,
  deltaText,
  formatBytes,
  formatMs,
  formatP,
  frontsOf,
  gateText,
  isSignificant,
  judgedDeltaText,
  judgedWarnings,
  metricValue,
  overallColumns,
  overallValue,
  sliceNames,
  stageOrder,
} from "./format.js";

/** One-line summary of the limits the recommendation applied. */
export function limitsText(report: LabReport): string {
  const { latencyBudgetMs, costCeiling, currency } = report.constraints;
  const gate = report.gate;
  const critical = Object.entries(gate.critical).map(
    ([name, { maxDrop }]) => `${name} may drop at most ${maxDrop}`,
  );
  return [
    `quality metric ${report.metric}`,
    `baseline \`${report.baseline}\``,
    latencyBudgetMs === undefined ? "no latency budget" : `p95 ≤ ${formatMs(latencyBudgetMs)}`,
    costCeiling === undefined
      ? "no cost ceiling"
      : `cost ≤ ${costCeiling} ${currency} per 1,000 queries`,
    `gate on ${gate.metric}: no slice with ≥ ${gate.minQueries} queries significantly worse ` +
      `(paired randomization test, Holm, alpha ${gate.alpha})` +
      (critical.length > 0 ? `; ${critical.join("; ")}` : ""),
  ].join("; ");
}

export function labReportMarkdown(report: LabReport): string {
  const lines: string[] = [];
  const push = (...text: string[]): void => void lines.push(...text);
  const chosen = report.recommendation.chosen;
  push(
    `# pairlift lab: ${basename(report.dataset)} (${report.split}, ${report.queries} queries)`,
    "",
    chosen === null
      ? `**No recommendation.** ${report.recommendation.explanation}`
      : `**Recommendation: \`${chosen}\`.** ${report.recommendation.explanation}`,
    "",
    `Limits: ${limitsText(report)}.`,
  );
  if (report.maxQueries !== undefined)
    push("", `> Only the first ${report.maxQueries} queries of the split were measured.`);
  const warnings = judgedWarnings(report);
  if (warnings.length > 0)
    push(
      "",
      `> **Caution:** ${report.judged.metric} of ${warnings.map((w) => `\`${w.id}\``).join(", ")} ` +
        `differs from the baseline's by more than ${report.judged.threshold}: unjudged documents ` +
        "count as misses, so those comparisons are biased (see Against the baseline).",
    );

  push("", "## Configurations", "");
  const metricColumns = overallColumns(report);
  push(
    markdownTable(
      [
        "configuration",
        ...metricColumns,
        "p50",
        "p95",
        "p99",
        "QPS",
        "index",
        `cost / 1k queries`,
        "Pareto",
        "gate",
      ],
      report.configurations.map((s) => [
        label(s, report),
        ...metricColumns.map((m) => metricValue(overallValue(s, m))),
        formatMs(s.latency.p50Ms),
        formatMs(s.latency.p95Ms),
        formatMs(s.latency.p99Ms),
        String(s.throughputQps),
        formatBytes(s.index.bytes),
        costText(s, report),
        frontsOf(report, s.id).join(", ") || "—",
        gateText(s),
      ]),
    ),
    "",
    `Latency: end to end per query after ${report.configurations[0]?.latency.warmupQueries ?? 0} warm-up queries, ` +
      "one query at a time; each query embedding is timed on the model itself, not the cache. " +
      "QPS: single-stream throughput (1000 / mean ms). Index: BM25 index, stored documents and the vectors the configuration searches. " +
      `${report.judged.metric}: the share of each top 10 the qrels judge (unjudged documents count as misses in the metrics).`,
  );

  push("", `## Pareto front: ${report.metric} against p95 latency`, "");
  push(frontTable(report, report.pareto.latency, (s) => formatMs(s.latency.p95Ms), "p95"));
  push("", `## Pareto front: ${report.metric} against cost`, "");
  push(frontTable(report, report.pareto.cost, (s) => costText(s, report), "cost / 1k queries"));
  if (report.pareto.costUnknown.length > 0)
    push(
      "",
      `Not placed (a hosted provider without a price): ${report.pareto.costUnknown.map((id) => `\`${id}\``).join(", ")}.`,
    );

  push("", `## Against the baseline \`${report.baseline}\``, "");
  const compared = report.configurations.filter((s) => s.comparison !== undefined);
  push(
    markdownTable(
      [
        "configuration",
        `Δ ${report.metric} (95% CI)`,
        "p (rand.)",
        "p (Holm)",
        "W/T/L",
        "slices better*",
        "slices worse*",
        `${report.judged.metric} (Δ)`,
        "gate",
      ],
      compared.map((s) => {
        const c = s.comparison!;
        const significant = Object.entries(c.slices).filter(([, d]) =>
          isSignificant(d, report.gate.alpha),
        );
        return [
          `\`${s.id}\``,
          deltaText(c.overall),
          formatP(c.overall.pRandomization),
          formatP(c.overall.pHolm),
          `${c.overall.wins}/${c.overall.ties}/${c.overall.losses}`,
          significant
            .filter(([, d]) => d.meanDiff > 0)
            .map(([name]) => name)
            .join(", ") || "—",
          significant
            .filter(([, d]) => d.meanDiff < 0)
            .map(([name]) => name)
            .join(", ") || "—",
          judgedDeltaText(s),
          gateText(s),
        ];
      }),
    ),
    "",
    `\\* Holm-adjusted p < ${report.gate.alpha} over the slices with ≥ ${report.gate.minQueries} queries; ` +
      "Δ = configuration − baseline; W/T/L: queries where the configuration wins, ties, loses; " +
      `⚠: ${report.judged.metric} differs from the baseline's by more than ${report.judged.threshold}.`,
  );
  if (warnings.length > 0) {
    push("", `${report.judged.metric} warnings:`, "");
    for (const { id, warning } of warnings) push(`- \`${id}\`: ${warning}.`);
  }
  const failing = compared.filter((s) => gateText(s) !== "pass");
  if (failing.length > 0) {
    push("", "Gate verdicts of the configurations that fail:", "");
    for (const s of failing) {
      push(`- ${s.comparison!.gate.verdict}`);
      if (s.comparison!.gate.probe?.passed === false)
        push(`  Probe set: ${s.comparison!.gate.probe.verdict}`);
    }
  }

  push("", `## ${report.metric} per slice`, "");
  push(sliceTable(report, false));
  if (report.probe !== undefined) {
    push("", `## Probe set (${report.probe}): ${report.metric} per slice`, "");
    push(sliceTable(report, true));
  }
  push("", `## ${report.judged.metric} per slice`, "");
  push(sliceTable(report, false, true));
  if (report.probe !== undefined) {
    push("", `## Probe set (${report.probe}): ${report.judged.metric} per slice`, "");
    push(sliceTable(report, true, true));
  }

  push("", "## Latency per stage (mean ms)", "");
  const stages = stageOrder(report);
  push(
    markdownTable(
      ["configuration", ...stages, "end to end", "p95"],
      report.configurations.map((s) => [
        `\`${s.id}\``,
        ...stages.map((stage) => {
          const value = s.latency.stages[stage]?.meanMs;
          return value === undefined ? "—" : value.toFixed(3);
        }),
        s.latency.meanMs.toFixed(3),
        s.latency.p95Ms.toFixed(3),
      ]),
    ),
  );

  const priced = report.configurations.filter((s) => Object.keys(s.tokensPerQuery).length > 0);
  if (report.configurations.some((s) => s.hosted.length > 0)) {
    push("", "## Cost", "");
    push(
      markdownTable(
        [
          "configuration",
          "hosted",
          "tokens per query (estimated: characters ÷ 4)",
          "cost / 1k queries",
        ],
        priced
          .filter((s) => s.hosted.length > 0)
          .map((s) => [
            `\`${s.id}\``,
            s.hosted.join(", "),
            s.hosted.map((name) => `${name}: ${s.tokensPerQuery[name] ?? 0}`).join("; "),
            costText(s, report),
          ]),
      ),
    );
  }

  push("", "## Reproducibility", "");
  const record = report.record;
  push(
    `- pairlift ${record.pairlift}, Node ${record.node}, ${record.machine.cpu} (${record.machine.cores} cores), ${record.machine.os}`,
    `- started ${report.run.startedAt}; ${report.run.ran} configurations measured in this run, ${report.run.reused} reused from \`${report.run.out}/results.jsonl\`; ${report.run.seconds} s`,
    `- command: \`${record.command ?? "(library call)"}\``,
    `- config: ${record.configFile === undefined ? "none (defaults)" : `\`${record.configFile.path}\` (sha256 ${record.configFile.sha256})`}`,
    `- seeds: lab/tuning/training ${record.seeds.lab}, comparisons ${record.seeds.compare}`,
    `- fingerprint (resume key): ${record.fingerprint}`,
    "",
    markdownTable(
      ["data file", "sha256"],
      Object.entries(record.files).map(([path, sha]) => [`\`${path}\``, sha]),
    ),
    "",
    markdownTable(
      ["model", "configuration", "identity"],
      [
        ...Object.entries(record.models.embedders).map(([name, model]) => [
          `embedder \`${name}\``,
          `\`${JSON.stringify(model.config)}\``,
          model.identity === undefined ? "—" : `\`${JSON.stringify(model.identity)}\``,
        ]),
        ...Object.entries(record.models.rerankers).map(([name, model]) => [
          `reranker \`${name}\``,
          `\`${JSON.stringify(model.config)}\``,
          model.identity === undefined ? "—" : `\`${JSON.stringify(model.identity)}\``,
        ]),
      ],
    ),
  );
  return `${lines.join("\n")}\n`;
}

function label(summary: ConfigurationSummary, report: LabReport): string {
  const marks = [
    summary.id === report.recommendation.chosen ? "**recommended**" : "",
    summary.id === report.baseline ? "baseline" : "",
  ].filter((mark) => mark !== "");
  return `\`${summary.id}\`${marks.length > 0 ? ` (${marks.join(", ")})` : ""}`;
}

function frontTable(
  report: LabReport,
  ids: readonly string[],
  cost: (summary: ConfigurationSummary) => string,
  costHeader: string,
): string {
  const byId = new Map(report.configurations.map((s) => [s.id, s]));
  return markdownTable(
    ["configuration", report.metric, costHeader],
    ids.map((id) => {
      const s = byId.get(id)!;
      return [label(s, report), s.quality.toFixed(4), cost(s)];
    }),
  );
}

/** One metric per slice: the quality metric (▲ / ▼ against the baseline) or judged@10. */
function sliceTable(report: LabReport, probe: boolean, judged = false): string {
  const names = sliceNames(report, probe);
  const first = report.configurations[0];
  const header = names.map((name) => {
    const slice = probe ? first?.probe?.slices[name] : first?.slices[name];
    return `${name} (${slice?.queries ?? 0}${slice?.tooSmall === true ? ", too small" : ""})`;
  });
  return markdownTable(
    ["configuration", "all", ...header],
    report.configurations.map((s) => {
      const set = probe ? s.probe : s;
      if (judged)
        return [
          `\`${s.id}\``,
          metricValue(set?.judged.aggregate),
          ...names.map((name) => metricValue(set?.judged.slices[name])),
        ];
      return [
        `\`${s.id}\``,
        metricValue(set?.aggregate[report.metric]),
        ...names.map((name) => {
          const value = set?.slices[name]?.aggregate[report.metric];
          const delta = probe ? undefined : s.comparison?.slices[name];
          const mark =
            delta !== undefined && isSignificant(delta, report.gate.alpha)
              ? delta.meanDiff > 0
                ? " ▲"
                : " ▼"
              : "";
          return `${metricValue(value)}${mark}`;
        }),
      ];
    }),
  );
}
