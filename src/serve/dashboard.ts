/**
 * The dashboard at `/`: one self-contained page (no external scripts, styles or fonts) that polls
 * /monitor and /metrics every five seconds. Query text reaches the page inside alerts, so every
 * value is written with textContent, never as HTML.
 */
export const DASHBOARD_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>pairlift serve</title>
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5rem; color: #1d2330; background: #f7f8fa; }
  h1 { font-size: 1.3rem; margin: 0 0 .3rem; }
  h2 { font-size: 1rem; margin: 1.2rem 0 .4rem; }
  .cards { display: flex; flex-wrap: wrap; gap: .6rem; }
  .card { background: #fff; border: 1px solid #dde1e8; border-radius: 6px; padding: .5rem .8rem; min-width: 9rem; }
  .card b { display: block; font-size: 1.25rem; }
  .card span { color: #5b6475; font-size: .8rem; }
  table { border-collapse: collapse; background: #fff; width: 100%; }
  th, td { border: 1px solid #dde1e8; padding: .25rem .5rem; text-align: left; vertical-align: top; }
  th { background: #eef1f5; font-weight: 600; }
  td.num { text-align: right; font-variant-numeric: tabular-nums; }
  .alert { color: #a4262c; }
  #status { color: #5b6475; }
</style>
</head>
<body>
<h1>pairlift serve</h1>
<div id="status">loading…</div>
<h2>Traffic</h2>
<div class="cards" id="cards"></div>
<h2>Monitor alerts</h2>
<table><thead><tr><th>type</th><th>since start</th><th>rate (recent searches)</th></tr></thead><tbody id="alert-counts"></tbody></table>
<h2>Recent alerts</h2>
<table><thead><tr><th>time</th><th>type</th><th>pipeline</th><th>query</th><th>message</th></tr></thead><tbody id="recent"></tbody></table>
<h2>Shadow pipelines</h2>
<table><thead><tr><th>pipeline</th><th>mean overlap@10</th></tr></thead><tbody id="shadow"></tbody></table>
<script>
"use strict";
let previous;

function parseMetrics(text) {
  const samples = [];
  for (const line of text.split("\\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const match = /^([A-Za-z_:][\\w:]*)(?:\\{(.*)\\})?\\s+(\\S+)/.exec(line);
    if (match === null) continue;
    const labels = {};
    for (const pair of (match[2] || "").matchAll(/(\\w+)="((?:[^"\\\\]|\\\\.)*)"/g)) labels[pair[1]] = pair[2];
    samples.push({ name: match[1], labels, value: Number(match[3]) });
  }
  return samples;
}

function sum(samples, name, filter) {
  return samples
    .filter((s) => s.name === name && (!filter || filter(s.labels)))
    .reduce((total, s) => total + s.value, 0);
}

/** A quantile from cumulative histogram buckets (upper bound of the bucket that holds it). */
function quantile(samples, name, q) {
  const buckets = new Map();
  for (const s of samples) {
    if (s.name !== name + "_bucket") continue;
    buckets.set(s.labels.le, (buckets.get(s.labels.le) || 0) + s.value);
  }
  const sorted = [...buckets].map(([le, count]) => [le === "+Inf" ? Infinity : Number(le), count]).sort((a, b) => a[0] - b[0]);
  const total = sorted.length === 0 ? 0 : sorted[sorted.length - 1][1];
  if (total === 0) return undefined;
  for (const [le, count] of sorted) if (count >= q * total) return le;
  return undefined;
}

function cell(row, text, numeric) {
  const td = document.createElement("td");
  td.textContent = text;
  if (numeric) td.className = "num";
  row.appendChild(td);
}

function fill(id, rows) {
  const body = document.getElementById(id);
  body.replaceChildren();
  for (const values of rows) {
    const tr = document.createElement("tr");
    values.forEach((value, i) =>
      cell(tr, String(value), i > 0 && (typeof value === "number" || /^[\\d.]+%$/.test(value))),
    );
    body.appendChild(tr);
  }
}

function card(label, value) {
  const div = document.createElement("div");
  div.className = "card";
  const b = document.createElement("b");
  b.textContent = value;
  const span = document.createElement("span");
  span.textContent = label;
  div.append(b, span);
  return div;
}

const ms = (seconds) => (seconds === undefined ? "–" : seconds === Infinity ? "> 10 s" : (seconds * 1000).toFixed(1) + " ms");

async function refresh() {
  try {
    const [monitor, metricsText] = await Promise.all([
      fetch("monitor").then((r) => r.json()),
      fetch("metrics").then((r) => r.text()),
    ]);
    const samples = parseMetrics(metricsText);
    const now = Date.now();
    const searches = sum(samples, "pairlift_http_requests_total", (l) => l.route === "/search");
    const errors = sum(samples, "pairlift_errors_total");
    const rate = previous ? ((searches - previous.searches) * 1000) / (now - previous.at) : undefined;
    previous = { searches, at: now };
    document.getElementById("status").textContent =
      "generation " + monitor.generation + " · " + monitor.phase + " · updated " + new Date().toLocaleTimeString();
    document.getElementById("cards").replaceChildren(
      card("searches", String(searches)),
      card("searches / s", rate === undefined ? "–" : rate.toFixed(1)),
      card("search p50", ms(quantile(samples, "pairlift_search_duration_seconds", 0.5))),
      card("search p99", ms(quantile(samples, "pairlift_search_duration_seconds", 0.99))),
      card("error responses", String(errors)),
      card("degraded", String(sum(samples, "pairlift_degraded_total"))),
      card("in flight", String(monitor.inflight)),
      card("negative feedback", (monitor.feedback.rate * 100).toFixed(0) + "% of " + monitor.feedback.events),
      card("RSS", (sum(samples, "pairlift_process_resident_memory_bytes") / 1048576).toFixed(0) + " MiB"),
    );
    fill("alert-counts", Object.entries(monitor.counts).map(([type, count]) => [
      type, count, ((monitor.rates.byType[type] || 0) * 100).toFixed(1) + "%",
    ]));
    fill("recent", monitor.recent.slice(0, 50).map((a) => [
      new Date(a.ts).toLocaleTimeString(), a.type, a.pipeline || "", a.query || "", a.message,
    ]));
    fill("shadow", Object.entries(monitor.shadow.meanOverlapAt10).map(([name, overlap]) => [name, overlap.toFixed(3)]));
  } catch (error) {
    document.getElementById("status").textContent = "cannot reach the server: " + error;
  }
}

refresh();
setInterval(refresh, 5000);
</script>
</body>
</html>
`;
