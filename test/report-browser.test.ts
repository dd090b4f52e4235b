/**
 * The HTML report in a real browser: Debian's chromium through playwright-core (never a
 * downloaded browser). It must render offline from the file alone, draw every chart, and log no
 * error. Skips with a message when /usr/bin/chromium is absent (install: apt-get install chromium).
 */
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config/config-file.js";
import { EmbeddingCache } from "../src/dense/embedding-cache.js";
import { writeProbeSet } from "../src/lab/probe.js";
import { analyzeLab } from "../src/lab/sweep/analyze.js";
import { runLab } from "../src/lab/sweep/runner.js";
import { CHART_IDS } from "../src/report/html.js";
import { writeLabReports } from "../src/report/write.js";
import { HashingEmbedder } from "./support/hashing-embedder.js";

const CHROMIUM = "/usr/bin/chromium";
const present = existsSync(CHROMIUM);
if (!present)
  console.warn(
    `skipping the HTML report browser test: ${CHROMIUM} is absent (apt-get install chromium)`,
  );

const demo = fileURLToPath(new URL("../data/demo", import.meta.url));
const tmp = await mkdtemp(join(tmpdir(), "pairlift-report-browser-"));
const cache = new EmbeddingCache(":memory:");
let browser: Browser | undefined;
afterAll(async () => {
  await browser?.close();
  cache.close();
  await rm(tmp, { recursive: true, force: true });
});

/** Runs a small sweep and writes its reports; returns report.html's path. */
async function sweep(name: string, lab: Record<string, unknown>): Promise<string> {
  const path = join(tmp, `${name}.yaml`);
  await writeFile(
    path,
    `embedders:\n  hash: { provider: test-hashing }\nlab: ${JSON.stringify({ dataset: demo, warmup: 1, out: join(tmp, name), ...lab })}\n`,
  );
  const run = await runLab({
    config: await loadConfig(path),
    cacheRoot: join(tmp, "indexes"),
    embeddingCache: cache,
    createEmbedder: () => Promise.resolve(new HashingEmbedder()),
  });
  return (await writeLabReports(analyzeLab(run), run.out)).html;
}

interface PageCheck {
  errors: string[];
  requests: string[];
  charts: Record<string, { drawn: boolean; width: number; height: number }>;
  recommendation: string;
  /** The judged@10 caution under the recommendation, as shown; null when there is none. */
  judgedCaution: string | null;
  /** Rows of the judged@10-per-slice table, as shown. */
  judgedRows: string[];
}

/**
 * Runs in the page (a string: this project compiles without DOM types). Per chart container: is
 * there a canvas with more than 500 painted pixels (or an SVG with shapes), and how big is it.
 */
const INSPECT_CHARTS = `(ids) => {
  const result = {};
  for (const id of ids) {
    const container = document.getElementById(id);
    const canvas = container && container.querySelector("canvas");
    const svg = container && container.querySelector("svg");
    let drawn = false;
    if (canvas) {
      const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
      let painted = 0;
      for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) painted += 1;
      drawn = painted > 500;
    } else if (svg) {
      drawn = svg.querySelectorAll("path, rect, text").length > 5;
    }
    const box = (canvas || svg) ? (canvas || svg).getBoundingClientRect() : { width: 0, height: 0 };
    result[id] = { drawn, width: box.width, height: box.height };
  }
  return result;
}`;

async function open(file: string): Promise<PageCheck> {
  const page = await browser!.newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  const requests: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" || message.type() === "warning")
      errors.push(`${message.type()}: ${message.text()}`);
  });
  page.on("pageerror", (error) => errors.push(`pageerror: ${error.message}`));
  page.on("request", (request) => requests.push(request.url()));
  try {
    await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
    await page.waitForFunction('document.body.getAttribute("data-charts") === "5"', null, {
      timeout: 20_000,
    });
    const charts = (await page.evaluate(
      `(${INSPECT_CHARTS})(${JSON.stringify(CHART_IDS)})`,
    )) as PageCheck["charts"];
    const recommendation = await page.locator("#recommendation").innerText();
    const caution = page.locator("#judged-caution");
    const judgedCaution = (await caution.count()) === 0 ? null : await caution.innerText();
    const judgedRows = await page
      .locator("h2#judged + div table tbody tr")
      .evaluateAll((rows) => rows.map((row) => (row as { innerText: string }).innerText));
    return { errors, requests, charts, recommendation, judgedCaution, judgedRows };
  } finally {
    await page.close();
  }
}

describe.skipIf(!present)("the HTML report in headless Chromium", () => {
  let full: string;
  let single: string;
  beforeAll(async () => {
    const probe = join(tmp, "probe");
    await writeProbeSet({ dataset: demo, out: probe, seed: 1, maxIdentifiers: 15 });
    full = await sweep("full", {
      probe,
      embedders: ["hash"],
      fusion: [{ method: "rrf", k: 60 }, "tuned"],
      rerankers: ["none", "learned"],
      depths: [30],
      rerankDepths: [10],
      // Every judged@10 difference warns, so the warnings are drawn too.
      judgedThreshold: 0,
    });
    single = await sweep("single", { firstStages: ["bm25"], rerankers: ["none"], depths: [20] });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    });
  });

  it("renders every chart from the file alone, with no errors", async () => {
    const page = await open(full);
    expect(page.errors).toEqual([]);
    expect(page.requests).toEqual([pathToFileURL(full).href]);
    for (const id of CHART_IDS) {
      expect(page.charts[id], id).toMatchObject({ drawn: true });
      expect(page.charts[id]!.width, id).toBeGreaterThan(300);
      expect(page.charts[id]!.height, id).toBeGreaterThan(150);
    }
    expect(page.recommendation).toMatch(/^(Recommendation: |No recommendation)/);
    expect(page.judgedCaution).toMatch(
      /^Caution: judged@10 of .+ differs from the baseline's by more than 0: unjudged documents count as misses/,
    );
    expect(page.judgedRows).toHaveLength(6);
    expect(page.judgedRows[0]).toMatch(/^bm25@30\t0\.\d{4}\t/);
  });

  it("renders a one-configuration sweep (nothing to compare) without errors", async () => {
    const page = await open(single);
    expect(page.errors).toEqual([]);
    expect(page.requests).toEqual([pathToFileURL(single).href]);
    for (const id of CHART_IDS) expect(page.charts[id], id).toMatchObject({ drawn: true });
    expect(page.recommendation).toContain("Recommendation: bm25@20");
    expect(page.judgedCaution).toBeNull();
    expect(page.judgedRows).toHaveLength(1);
  });
});
