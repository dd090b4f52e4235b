/**
 * The lab report as one self-contained HTML file: Apache ECharts (the npm package's minified
 * build) is inlined with the data, so the page opens from disk with no network access. Charts:
 * the Pareto scatter of quality against p95 latency and against cost (fronts drawn as lines,
 * budget and ceiling as marks), a slice × configuration heatmap, stacked per-stage latency bars,
 * and each configuration's difference from the baseline with its 95% interval, coloured by
 * significance; tables carry the same numbers for reading and copying.
 */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { basename } from "node:path";
import type { LabReport } from "../lab/sweep/analyze.js";
import { limitsText } from "./markdown.js";
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
  stackedStages,
  stageOrder,
} from "./format.js";

/** The chart containers every report has (the browser test checks each one is drawn). */
export const CHART_IDS = Object.freeze([
  "chart-pareto-latency",
  "chart-pareto-cost",
  "chart-slices",
  "chart-latency",
  "chart-baseline",
] as const);

let echartsSource: Promise<string> | undefined;

/** The minified ECharts build from node_modules, read once. */
export function loadEcharts(): Promise<string> {
  echartsSource ??= readFile(
    createRequire(import.meta.url).resolve("echarts/dist/echarts.min.js"),
    "utf8",
  );
  return echartsSource;
}

export async function labReportHtml(report: LabReport): Promise<string> {
  return renderLabReportHtml(report, await loadEcharts());
}

/** What the page's script reads: only what the charts draw. */
export interface ChartData {
  metric: string;
  baseline: string;
  chosen: string | null;
  alpha: number;
  currency: string;
  latencyBudgetMs: number | null;
  costCeiling: number | null;
  slices: string[];
  stages: string[];
  latencyFront: string[];
  costFront: string[];
  configs: Array<{
    id: string;
    quality: number;
    p95: number;
    cost: number | null;
    stages: Record<string, number>;
    slices: Record<string, number | null>;
    delta: { mean: number; lo: number; hi: number; significant: boolean } | null;
  }>;
}

export function chartData(report: LabReport): ChartData {
  const slices = sliceNames(report);
  const probeSlices = report.probe === undefined ? [] : sliceNames(report, true);
  const stages = stageOrder(report);
  return {
    metric: report.metric,
    baseline: report.baseline,
    chosen: report.recommendation.chosen,
    alpha: report.gate.alpha,
    currency: report.constraints.currency,
    latencyBudgetMs: report.constraints.latencyBudgetMs ?? null,
    costCeiling: report.constraints.costCeiling ?? null,
    slices: [
      "all",
      ...slices,
      ...(report.probe === undefined ? [] : ["probe", ...probeSlices.map((s) => `probe ${s}`)]),
    ],
    stages: [...stages, "other"],
    latencyFront: report.pareto.latency,
    costFront: report.pareto.cost,
    configs: report.configurations.map((s) => {
      const values: Record<string, number | null> = { all: s.quality };
      for (const name of slices) values[name] = s.slices[name]?.aggregate[report.metric] ?? null;
      if (s.probe !== undefined) {
        values["probe"] = s.probe.aggregate[report.metric] ?? null;
        for (const name of probeSlices)
          values[`probe ${name}`] = s.probe.slices[name]?.aggregate[report.metric] ?? null;
      }
      const overall = s.comparison?.overall;
      return {
        id: s.id,
        quality: s.quality,
        p95: s.latency.p95Ms,
        cost: s.cost.per1000Queries,
        stages: stackedStages(s, stages),
        slices: values,
        delta:
          overall === undefined
            ? null
            : {
                mean: overall.meanDiff,
                lo: overall.ci[0],
                hi: overall.ci[1],
                significant: isSignificant(overall, report.gate.alpha),
              },
      };
    }),
  };
}

export function renderLabReportHtml(report: LabReport, echarts: string): string {
  const data = chartData(report);
  const chosen = report.recommendation.chosen;
  const rows = data.configs.length;
  const tall = Math.max(260, 26 * rows + 110);
  const title = `pairlift lab: ${basename(report.dataset)} (${report.split}, ${report.queries} queries)`;
  const body = [
    `<h1>${escapeHtml(title)}</h1>`,
    `<section id="recommendation" class="${chosen === null ? "none" : "chosen"}">`,
    chosen === null
      ? "<h2>No recommendation</h2>"
      : `<h2>Recommendation: <code>${escapeHtml(chosen)}</code></h2>`,
    `<p>${escapeHtml(report.recommendation.explanation)}</p>`,
    `<p class="small">Limits: ${escapeHtml(limitsText(report).replaceAll("`", ""))}.</p>`,
    report.maxQueries === undefined
      ? ""
      : `<p class="small">Only the first ${report.maxQueries} queries of the split were measured.</p>`,
    judgedCaution(report),
    "</section>",
    `<h2>${escapeHtml(report.metric)} against p95 latency and cost</h2>`,
    '<div class="pair">',
    `<div id="chart-pareto-latency" class="chart" style="height:420px"></div>`,
    `<div id="chart-pareto-cost" class="chart" style="height:420px"></div>`,
    "</div>",
    `<p class="small">Lines join the Pareto front: no other configuration is at least as good on both axes and better on one. Latency: end to end per query, one at a time, after ${report.configurations[0]?.latency.warmupQueries ?? 0} warm-up queries.</p>`,
    configurationsTable(report),
    `<h2>Against the baseline <code>${escapeHtml(report.baseline)}</code></h2>`,
    `<div id="chart-baseline" class="chart" style="height:${Math.max(220, 26 * Math.max(1, rows - 1) + 110)}px"></div>`,
    baselineTable(report),
    judgedWarningList(report),
    `<h2>${escapeHtml(report.metric)} per slice</h2>`,
    `<div id="chart-slices" class="chart" style="height:${tall}px"></div>`,
    `<p class="small">▲ / ▼ in the tables: significantly better / worse than the baseline (Holm-adjusted p &lt; ${report.gate.alpha}).</p>`,
    judgedSliceTable(report),
    "<h2>Latency per stage (mean ms, stacked)</h2>",
    `<div id="chart-latency" class="chart" style="height:${tall}px"></div>`,
    '<p class="small">The first stage\'s parts (lexical, embed, dense) run concurrently in a pipeline, so their bars can add up to a little more than the end-to-end time; "other" is end-to-end time no stage accounts for.</p>',
    reproducibility(report),
  ].join("\n");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 24px auto; max-width: 1280px; padding: 0 16px; color: #1d2330; }
h1 { font-size: 22px; } h2 { font-size: 17px; margin-top: 28px; }
code { font: 12.5px ui-monospace, monospace; background: #f1f3f6; padding: 1px 4px; border-radius: 3px; }
table { border-collapse: collapse; margin: 10px 0; font-size: 12.5px; }
th, td { border: 1px solid #d6dae1; padding: 3px 7px; text-align: right; white-space: nowrap; }
th { background: #f4f6f9; } td:first-child, th:first-child { text-align: left; }
tr.chosen td { background: #e9f7ec; } tr.baseline td { background: #f3f4fb; }
.fail { color: #b3261e; font-weight: 600; } .pass { color: #1e7b34; }
.better { color: #1e7b34; } .worse { color: #b3261e; }
#recommendation { border-left: 5px solid #1e7b34; background: #f3faf4; padding: 6px 16px; }
#recommendation.none { border-color: #b3261e; background: #fdf3f2; }
.pair { display: flex; gap: 16px; flex-wrap: wrap; } .pair .chart { flex: 1 1 560px; }
.chart { width: 100%; min-width: 320px; }
.small { color: #5a6272; font-size: 12.5px; }
.caution { border-left: 5px solid #c77700; background: #fff7e8; padding: 4px 12px; }
.scroll { overflow-x: auto; }
</style>
</head>
<body>
${body}
<script type="application/json" id="lab-data">${jsonForScript(data)}</script>
<script>${echarts.replaceAll("</script", "<\\/script")}</script>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
}

function configurationsTable(report: LabReport): string {
  const columns = overallColumns(report);
  const header = [
    "configuration",
    ...columns,
    "p50",
    "p95",
    "p99",
    "QPS",
    "index",
    "memory (RSS)",
    "cost / 1k queries",
    "Pareto",
    "gate",
  ];
  const rows = report.configurations.map((s) => {
    const gate = gateText(s);
    const cls =
      s.id === report.recommendation.chosen ? "chosen" : s.id === report.baseline ? "baseline" : "";
    return `<tr class="${cls}">${[
      `<td><code>${escapeHtml(s.id)}</code>${s.id === report.recommendation.chosen ? " ★" : ""}</td>`,
      ...columns.map((m) => `<td>${metricValue(overallValue(s, m))}</td>`),
      `<td>${formatMs(s.latency.p50Ms)}</td>`,
      `<td>${formatMs(s.latency.p95Ms)}</td>`,
      `<td>${formatMs(s.latency.p99Ms)}</td>`,
      `<td>${s.throughputQps}</td>`,
      `<td>${formatBytes(s.index.bytes)}</td>`,
      `<td>${formatBytes(s.memory.rssBytes)}</td>`,
      `<td>${escapeHtml(costText(s, report))}</td>`,
      `<td>${frontsOf(report, s.id).join(", ") || "—"}</td>`,
      `<td class="${gate === "pass" ? "pass" : gate === "baseline" ? "" : "fail"}">${escapeHtml(gate)}</td>`,
    ].join("")}</tr>`;
  });
  return table(header, rows);
}

function baselineTable(report: LabReport): string {
  const compared = report.configurations.filter((s) => s.comparison !== undefined);
  if (compared.length === 0) return "<p>The sweep has no configuration besides the baseline.</p>";
  const slices = sliceNames(report);
  const header = [
    "configuration",
    `Δ ${report.metric} (95% CI)`,
    "p (rand.)",
    "p (Holm)",
    "W/T/L",
    ...slices,
    `${report.judged.metric} (Δ)`,
    "gate",
  ];
  const rows = compared.map((s) => {
    const c = s.comparison!;
    const gate = gateText(s);
    const sliceCells = slices.map((name) => {
      const d = c.slices[name];
      if (d === undefined) return "<td>—</td>";
      const significant = isSignificant(d, report.gate.alpha);
      const cls = significant ? (d.meanDiff > 0 ? "better" : "worse") : "";
      const mark = significant ? (d.meanDiff > 0 ? " ▲" : " ▼") : "";
      return `<td class="${cls}" title="p (Holm) ${formatP(d.pHolm)}">${d.meanDiff >= 0 ? "+" : ""}${d.meanDiff.toFixed(4)}${mark}</td>`;
    });
    const verdict = [
      c.gate.verdict,
      c.gate.probe === undefined ? "" : `Probe set: ${c.gate.probe.verdict}`,
    ]
      .filter((text) => text !== "")
      .join(" ");
    return `<tr>${[
      `<td><code>${escapeHtml(s.id)}</code></td>`,
      `<td>${deltaText(c.overall)}</td>`,
      `<td>${formatP(c.overall.pRandomization)}</td>`,
      `<td>${formatP(c.overall.pHolm)}</td>`,
      `<td>${c.overall.wins}/${c.overall.ties}/${c.overall.losses}</td>`,
      ...sliceCells,
      `<td class="${c.judged?.warn === true ? "worse" : ""}">${escapeHtml(judgedDeltaText(s))}</td>`,
      `<td class="${gate === "pass" ? "pass" : "fail"}" title="${escapeHtml(verdict)}">${escapeHtml(gate)}</td>`,
    ].join("")}</tr>`;
  });
  return `${table(header, rows)}<p class="small">Δ = configuration − baseline, per query, paired; 95% bootstrap interval; sign-flip randomization test; Holm across the slices with ≥ ${report.gate.minQueries} queries; ⚠: ${escapeHtml(report.judged.metric)} differs from the baseline's by more than ${report.judged.threshold}. Hover a gate cell for its verdict.</p>`;
}

/** One line near the top when some configuration's judged@10 is far from the baseline's. */
function judgedCaution(report: LabReport): string {
  const warnings = judgedWarnings(report);
  if (warnings.length === 0) return "";
  const ids = warnings.map((w) => `<code>${escapeHtml(w.id)}</code>`).join(", ");
  return `<p class="caution" id="judged-caution"><strong>Caution:</strong> ${escapeHtml(report.judged.metric)} of ${ids} differs from the baseline's by more than ${report.judged.threshold}: unjudged documents count as misses, so those comparisons are biased (see Against the baseline).</p>`;
}

/** compare's plain-words warning for each configuration whose judged@10 is far from the baseline's. */
function judgedWarningList(report: LabReport): string {
  const warnings = judgedWarnings(report);
  if (warnings.length === 0) return "";
  const items = warnings.map(
    ({ id, warning }) => `<li><code>${escapeHtml(id)}</code>: ${escapeHtml(warning)}.</li>`,
  );
  return `<div class="caution" id="judged-warnings"><p>${escapeHtml(report.judged.metric)} warnings:</p><ul>${items.join("")}</ul></div>`;
}

/** judged@10 overall and per slice (and on the probe set), one row per configuration. */
function judgedSliceTable(report: LabReport): string {
  const metric = escapeHtml(report.judged.metric);
  const slices = sliceNames(report);
  const probeSlices = report.probe === undefined ? [] : sliceNames(report, true);
  const header = [
    "configuration",
    "all",
    ...slices,
    ...(report.probe === undefined ? [] : ["probe", ...probeSlices.map((s) => `probe ${s}`)]),
  ];
  const rows = report.configurations.map((s) => {
    const values = [
      s.judged.aggregate,
      ...slices.map((name) => s.judged.slices[name]),
      ...(report.probe === undefined
        ? []
        : [s.probe?.judged.aggregate, ...probeSlices.map((name) => s.probe?.judged.slices[name])]),
    ];
    return `<tr><td><code>${escapeHtml(s.id)}</code></td>${values.map((v) => `<td>${metricValue(v)}</td>`).join("")}</tr>`;
  });
  return `<h2 id="judged">${metric} per slice</h2>${table(header, rows)}<p class="small">${metric}: the share of each top 10 the qrels judge; the metrics count unjudged documents as misses, so a configuration whose ${metric} is far below the baseline's looks worse than it may be.</p>`;
}

function reproducibility(report: LabReport): string {
  const record = report.record;
  const files = Object.entries(record.files).map(
    ([path, sha]) =>
      `<tr><td><code>${escapeHtml(path)}</code></td><td><code>${sha}</code></td></tr>`,
  );
  const models = [
    ...Object.entries(record.models.embedders).map(([name, m]) => ["embedder", name, m] as const),
    ...Object.entries(record.models.rerankers).map(([name, m]) => ["reranker", name, m] as const),
  ].map(
    ([kind, name, m]) =>
      `<tr><td>${kind} <code>${escapeHtml(name)}</code></td><td><code>${escapeHtml(JSON.stringify(m.config))}</code></td><td><code>${escapeHtml(m.identity === undefined ? "—" : JSON.stringify(m.identity))}</code></td></tr>`,
  );
  return [
    "<h2>Reproducibility</h2>",
    "<ul>",
    `<li>pairlift ${escapeHtml(record.pairlift)}, Node ${escapeHtml(record.node)}, ${escapeHtml(record.machine.cpu)} (${record.machine.cores} cores), ${escapeHtml(record.machine.os)}</li>`,
    `<li>started ${escapeHtml(report.run.startedAt)}; ${report.run.ran} configurations measured in this run, ${report.run.reused} reused from <code>${escapeHtml(report.run.out)}/results.jsonl</code>; ${report.run.seconds} s</li>`,
    `<li>command: <code>${escapeHtml(record.command ?? "(library call)")}</code></li>`,
    `<li>config: ${record.configFile === undefined ? "none (defaults)" : `<code>${escapeHtml(record.configFile.path)}</code> (sha256 <code>${record.configFile.sha256}</code>)`}</li>`,
    `<li>seeds: lab/tuning/training ${record.seeds.lab}, comparisons ${record.seeds.compare}; fingerprint <code>${record.fingerprint}</code></li>`,
    "</ul>",
    '<div class="scroll">',
    table(["data file", "sha256"], files),
    table(["model", "configuration", "identity"], models),
    "</div>",
  ].join("\n");
}

function table(header: readonly string[], rows: readonly string[]): string {
  return `<div class="scroll"><table><thead><tr>${header.map((h) => `<th>${escapeHtml(h)}</th>`).join("")}</tr></thead><tbody>${rows.join("")}</tbody></table></div>`;
}

export function escapeHtml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;");
}

/** JSON that cannot end its script element early. */
function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replaceAll("<", "\\u003c")
    .replaceAll("\u2028", "\\u2028")
    .replaceAll("\u2029", "\\u2029");
}

/** The page's own script: builds the five charts from the embedded data. Plain ES2017. */
const PAGE_SCRIPT = String.raw`
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("lab-data").textContent);
  var charts = [];
  var fmt = function (v, d) { return v === null || v === undefined ? "—" : Number(v).toFixed(d); };
  var short = function (id) { return id.length > 44 ? id.slice(0, 43) + "…" : id; };
  var colorOf = function (c) {
    return c.id === data.chosen ? "#1e7b34" : c.id === data.baseline ? "#3b4cc0" : "#8792a8";
  };
  function make(id, option) {
    var chart = echarts.init(document.getElementById(id), null, { renderer: "canvas" });
    chart.setOption(option);
    charts.push(chart);
  }
  function pareto(id, title, axisName, value, front, limit, limitName) {
    var points = data.configs.filter(function (c) { return value(c) !== null; });
    var xs = points.map(value);
    var positive = xs.filter(function (x) { return x > 0; });
    var logScale = positive.length === xs.length && positive.length > 1 &&
      Math.max.apply(null, positive) / Math.min.apply(null, positive) > 20;
    var byId = {};
    points.forEach(function (c) { byId[c.id] = c; });
    var frontPoints = front.filter(function (fid) { return byId[fid]; })
      .map(function (fid) { return [value(byId[fid]), byId[fid].quality, fid]; });
    var series = [
      {
        name: "configurations", type: "scatter", symbolSize: 11,
        data: points.map(function (c) {
          return {
            value: [value(c), c.quality, c.id],
            symbol: c.id === data.chosen ? "diamond" : "circle",
            symbolSize: c.id === data.chosen ? 18 : 11,
            itemStyle: { color: colorOf(c) },
            label: {
              show: c.id === data.chosen || c.id === data.baseline, position: "right",
              formatter: c.id === data.chosen ? "recommended" : "baseline", fontSize: 11
            }
          };
        })
      },
      {
        name: "Pareto front", type: "line", data: frontPoints, symbol: "none",
        lineStyle: { color: "#e07b00", width: 2 }, z: 1
      }
    ];
    if (limit !== null) {
      series[0].markLine = {
        symbol: "none", silent: true, lineStyle: { type: "dashed", color: "#b3261e" },
        label: { formatter: limitName }, data: [{ xAxis: limit }]
      };
    }
    make(id, {
      title: { text: title, left: "center", textStyle: { fontSize: 14 } },
      tooltip: {
        trigger: "item",
        formatter: function (p) {
          return p.value[2] + "<br>" + data.metric + " " + fmt(p.value[1], 4) + "<br>" + axisName + " " + fmt(p.value[0], 3);
        }
      },
      grid: { left: 64, right: 36, top: 48, bottom: 56 },
      xAxis: { type: logScale ? "log" : "value", name: axisName, nameLocation: "middle", nameGap: 30, scale: !logScale },
      yAxis: { type: "value", name: data.metric, scale: true },
      series: series
    });
  }
  pareto("chart-pareto-latency", data.metric + " vs p95 latency", "p95 ms",
    function (c) { return c.p95; }, data.latencyFront, data.latencyBudgetMs, "budget");
  pareto("chart-pareto-cost", data.metric + " vs cost", data.currency + " per 1,000 queries",
    function (c) { return c.cost; }, data.costFront, data.costCeiling, "ceiling");

  var ids = data.configs.map(function (c) { return c.id; });
  var reversed = ids.slice().reverse();
  var cells = [];
  var lo = Infinity, hi = -Infinity;
  data.configs.forEach(function (c) {
    data.slices.forEach(function (s, x) {
      var v = c.slices[s];
      if (v === null || v === undefined) return;
      lo = Math.min(lo, v); hi = Math.max(hi, v);
      cells.push([x, reversed.indexOf(c.id), Number(v.toFixed(4))]);
    });
  });
  if (!isFinite(lo)) { lo = 0; hi = 1; }
  make("chart-slices", {
    tooltip: {
      formatter: function (p) {
        return reversed[p.value[1]] + "<br>" + data.slices[p.value[0]] + ": " + fmt(p.value[2], 4);
      }
    },
    grid: { left: 300, right: 24, top: 16, bottom: 110 },
    xAxis: { type: "category", data: data.slices, axisLabel: { rotate: 40, fontSize: 11 }, splitArea: { show: true } },
    yAxis: { type: "category", data: reversed, axisLabel: { formatter: short, fontSize: 11 } },
    visualMap: {
      min: lo, max: hi, calculable: true, orient: "horizontal", left: "center", bottom: 0,
      inRange: { color: ["#d73027", "#fee08b", "#1a9850"] }, itemHeight: 160
    },
    series: [{
      type: "heatmap", data: cells,
      label: { show: cells.length <= 400, fontSize: 9, formatter: function (p) { return p.value[2].toFixed(3); } }
    }]
  });

  make("chart-latency", {
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    legend: { top: 0 },
    grid: { left: 300, right: 40, top: 40, bottom: 40 },
    xAxis: { type: "value", name: "mean ms", nameLocation: "middle", nameGap: 26 },
    yAxis: { type: "category", data: reversed, axisLabel: { formatter: short, fontSize: 11 } },
    series: data.stages.map(function (stage) {
      return {
        name: stage, type: "bar", stack: "total",
        data: reversed.map(function (id) {
          var c = data.configs[ids.indexOf(id)];
          return Number((c.stages[stage] || 0).toFixed(4));
        })
      };
    })
  });

  var compared = data.configs.filter(function (c) { return c.delta !== null; }).reverse();
  make("chart-baseline", {
    title: compared.length === 0 ? { text: "no configuration besides the baseline", left: "center", top: "middle", textStyle: { fontSize: 13, color: "#5a6272" } } : undefined,
    tooltip: {
      formatter: function (p) {
        var c = compared[p.dataIndex];
        return c.id + "<br>Δ " + data.metric + " " + fmt(c.delta.mean, 4) + " (95% CI " + fmt(c.delta.lo, 4) + " … " + fmt(c.delta.hi, 4) + ")" + (c.delta.significant ? "<br>significant (Holm)" : "");
      }
    },
    grid: { left: 300, right: 40, top: 24, bottom: 44 },
    xAxis: { type: "value", name: "Δ " + data.metric + " vs " + data.baseline, nameLocation: "middle", nameGap: 28 },
    yAxis: { type: "category", data: compared.map(function (c) { return c.id; }), axisLabel: { formatter: short, fontSize: 11 } },
    series: [
      {
        type: "bar", name: "Δ",
        data: compared.map(function (c) {
          return {
            value: c.delta.mean,
            itemStyle: { color: !c.delta.significant ? "#9aa3b5" : c.delta.mean > 0 ? "#1e7b34" : "#b3261e" }
          };
        })
      },
      {
        type: "custom", name: "95% CI",
        data: compared.map(function (c, i) { return [c.delta.lo, c.delta.hi, i]; }),
        renderItem: function (params, api) {
          var a = api.coord([api.value(0), api.value(2)]);
          var b = api.coord([api.value(1), api.value(2)]);
          var h = 5;
          var style = { stroke: "#1d2330", lineWidth: 1.2 };
          return {
            type: "group",
            children: [
              { type: "line", shape: { x1: a[0], y1: a[1], x2: b[0], y2: b[1] }, style: style },
              { type: "line", shape: { x1: a[0], y1: a[1] - h, x2: a[0], y2: a[1] + h }, style: style },
              { type: "line", shape: { x1: b[0], y1: b[1] - h, x2: b[0], y2: b[1] + h }, style: style }
            ]
          };
        },
        encode: { x: [0, 1], y: 2 },
        z: 3
      }
    ]
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  document.body.setAttribute("data-charts", String(charts.length));
})();
`;
