import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile, mkdir } from "node:fs/promises";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { bufferIO } from "../src/cli/io.js";
import { runCli } from "../src/cli/program.js";

const tmp = await mkdtemp(join(tmpdir(), "pairlift-cli-"));
const dataset = join(tmp, "catalogue");
const indexDir = join(tmp, "index");

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = bufferIO();
  const code = await runCli(argv, io);
  return { code, out: io.out(), err: io.err() };
}

beforeAll(async () => {
  process.env["PAIRLIFT_CACHE_DIR"] = join(tmp, "cache");
  await mkdir(join(dataset, "qrels"), { recursive: true });
  const corpus = [
    { _id: "p1", title: "Kestrel KT-2040 18V Drill Driver", text: "Cordless drill driver." },
    {
      _id: "p2",
      title: "Kestrel KT-2040X Hammer Drill",
      text: "Hammer drill of the KT 2040 family.",
    },
    {
      _id: "p3",
      title: "Shop vacuum filter",
      text: "Cartridge filter for WD1680 wet/dry vacuums.",
    },
    { _id: "p4", title: "Garden hose 50 ft", text: "Kink resistant garden hose." },
  ];
  await writeFile(
    join(dataset, "corpus.jsonl"),
    corpus.map((d) => JSON.stringify(d)).join("\n") + "\n",
  );
  await writeFile(
    join(dataset, "queries.jsonl"),
    [
      '{"_id":"q1","text":"kt2040"}',
      '{"_id":"q2","text":"filter for a shop vac"}',
      '{"_id":"q3","text":"garden hose"}',
    ].join("\n"),
  );
  await writeFile(
    join(dataset, "qrels", "test.tsv"),
    "query-id\tcorpus-id\tscore\nq1\tp1\t2\nq2\tp3\t1\nq3\tp4\t1\n",
  );
});
afterAll(() => rm(tmp, { recursive: true, force: true }));

/** Indexes the catalogue into a folder of its own under tmp. */
async function indexCatalogue(name: string): Promise<string> {
  const dir = join(tmp, name);
  const { code, err } = await cli("index", dataset, "--index", dir);
  expect(code, err).toBe(0);
  return dir;
}

describe("pairlift index / search", () => {
  // The searches read the index built here; tests that change an index build their own.
  beforeAll(() => indexCatalogue("index"));

  it("indexes a BEIR folder and reports throughput and size", async () => {
    const { code, out } = await cli("index", dataset, "--index", join(tmp, "index-report"));
    expect(code).toBe(0);
    expect(out).toMatch(
      /indexed 4 documents in [\d.]+ s \(\d+ docs\/s\), \d+ terms, [\d.]+ (B|KB) on disk/,
    );
  });

  it("prints ranked documents with titles and the query terms each matched", async () => {
    const { code, out } = await cli("search", "--index", indexDir, "kt 2040", "-k", "2");
    expect(code).toBe(0);
    expect(out).toMatch(
      /^ {2}1\. [\d.]+ {2}p1 {2}Kestrel KT-2040 18V Drill Driver\n {6}matched: kt, 2040, kt2040\n/,
    );
    const json = JSON.parse((await cli("search", "--index", indexDir, "WD1680", "--json")).out) as {
      results: Array<{ id: string; matched: string[] }>;
    };
    expect(json.results[0]).toMatchObject({ id: "p3", matched: ["wd1680", "wd", "1680"] });
  });

  it("adds and deletes documents in an existing index", async () => {
    const indexDir = await indexCatalogue("index-append");
    const extra = join(tmp, "extra.jsonl");
    await writeFile(
      extra,
      '{"_id":"p5","title":"KT-2040 charger","text":"Charges KT batteries."}\n',
    );
    expect((await cli("index", extra, "--index", indexDir, "--append")).out).toMatch(
      /added 1, removed 0; the index now holds 5/,
    );
    expect((await cli("search", "--index", indexDir, "charger")).out).toMatch(/p5/);
    const again = await cli("index", extra, "--index", indexDir, "--append");
    expect(again.err).toMatch(/extra\.jsonl: document "p5" is already indexed; nothing was added/);
    expect((await cli("index", "--index", indexDir, "--delete", "p5")).out).toMatch(
      /removed 1; the index now holds 4/,
    );
    expect((await cli("search", "--index", indexDir, "charger")).out).toMatch(/no documents match/);
    const unknown = await cli("index", "--index", indexDir, "--delete", "nope");
    expect(unknown.code).toBe(1);
    expect(unknown.err).toMatch(/E_UNKNOWN_ID.*not in the index: "nope"/);
  });

  it("leaves the earlier index intact when the corpus has a bad line", async () => {
    const indexDir = await indexCatalogue("index-intact");
    const bad = join(tmp, "bad.jsonl");
    await writeFile(bad, '{"_id":"x","text":"fine"}\n{"_id":"x","text":"dup"}\n');
    const { code, err } = await cli("index", bad, "--index", indexDir);
    expect(code).toBe(1);
    expect(err).toMatch(/bad\.jsonl:2: field "_id": duplicate document id "x"/);
    expect((await cli("search", "--index", indexDir, "kt2040")).out).toMatch(/p1/);
  });

  it("gives usage errors exit code 2", async () => {
    expect((await cli("search", "--index", indexDir, "drill", "-k", "zero")).code).toBe(2);
    const missing = await cli("search", "--index", join(tmp, "missing"), "drill");
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/manifest\.json: no pairlift index here/);
    const empty = await cli("search", "--index", indexDir, "  ");
    expect(empty.err).toMatch(/E_QUERY.*query is empty/);
  });
});

describe("pairlift eval", () => {
  it("evaluates a split, writes a TREC run and the JSON report, and reuses the cached index", async () => {
    const runPath = join(tmp, "run.trec");
    const jsonPath = join(tmp, "report.json");
    // A cache of its own, so the first eval builds the index whatever ran before it.
    const sharedCache = process.env["PAIRLIFT_CACHE_DIR"];
    process.env["PAIRLIFT_CACHE_DIR"] = join(tmp, "cache-eval");
    onTestFinished(() => {
      process.env["PAIRLIFT_CACHE_DIR"] = sharedCache;
    });
    const first = await cli("eval", "--dataset", dataset, "--run-out", runPath, "--json", jsonPath);
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/built index/);
    expect(first.out).toMatch(/\| ndcg@10 \| [\d.]+ \|/);
    const report = JSON.parse(await readFile(jsonPath, "utf8")) as Record<string, unknown>;
    expect(report).toMatchObject({ dataset, split: "test", pipeline: "bm25", queries: 3 });
    expect(Object.keys(report["aggregate"] as object)).toEqual([
      "ndcg@10",
      "mrr@10",
      "recall@100",
      "map@100",
      "p@10",
    ]);
    expect((report["perQuery"] as Record<string, Record<string, number>>)["q1"]?.["ndcg@10"]).toBe(
      1,
    );
    expect((await readFile(runPath, "utf8")).split("\n")[0]).toMatch(/^q1 Q0 p1 1 [\d.]+ bm25$/);
    expect((await cli("eval", "--dataset", dataset)).out).toMatch(/reused cached index/);
  });

  it("rejects an unknown pipeline, metric or split clearly", async () => {
    expect((await cli("eval", "--dataset", dataset, "--pipeline", "magic")).err).toMatch(
      /unknown pipeline "magic"/,
    );
    expect((await cli("eval", "--dataset", dataset, "--metrics", "ndcg")).err).toMatch(
      /unknown metric "ndcg"/,
    );
    expect((await cli("eval", "--dataset", dataset, "--split", "dev")).err).toMatch(
      /qrels[/\\]dev\.tsv: qrels not found/,
    );
  });
});

describe("the CLI in pipes and shells", () => {
  const root = fileURLToPath(new URL("..", import.meta.url));
  let pipedIndex: string;
  beforeAll(async () => {
    pipedIndex = join(tmp, "index-piped");
    const { code, err } = await cli("index", join(root, "data", "demo"), "--index", pipedIndex);
    expect(code, err).toBe(0);
  });

  /** Runs `pairlift ARGS | head -1` in bash; the CLI's own exit status and stderr. */
  function pipedToHead(args: string): Promise<{ status: string; stderr: string }> {
    const script = `set -o pipefail; node --import tsx src/cli/main.ts ${args} | head -1 >/dev/null; echo "status $?" >&2`;
    return new Promise((resolve, reject) => {
      const child = spawn("bash", ["-c", script], { cwd: root });
      let stderr = "";
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      child.on("error", reject);
      child.on("close", () => {
        const status = /status (\d+)\n$/u.exec(stderr)?.[1] ?? "none";
        resolve({ status, stderr: stderr.replace(/status \d+\n$/u, "") });
      });
    });
  }

  it("exits quietly when the reader of its output goes away (| head -1)", async () => {
    // 425 results with their BM25 explanations: far more than head reads.
    const search = await pipedToHead(`search --index ${pipedIndex} drill -k 425 --explain`);
    expect(search).toEqual({ status: "0", stderr: "" });
  });

  it("names a BEIR folder without corpus.jsonl instead of failing on ENOENT", async () => {
    const folder = join(tmp, "no-corpus");
    await mkdir(join(folder, "qrels"), { recursive: true });
    await writeFile(join(folder, "queries.jsonl"), '{"_id":"q1","text":"drill"}\n');
    await writeFile(join(folder, "qrels", "test.tsv"), "query-id\tcorpus-id\tscore\nq1\td1\t1\n");
    for (const argv of [
      ["eval", "--dataset", folder],
      ["index", folder, "--index", join(tmp, "no-corpus-index")],
    ]) {
      const { code, err } = await cli(...argv);
      expect(code).toBe(1);
      expect(err).toBe(
        `pairlift: error [E_NOT_FOUND]: ${folder}: no corpus.jsonl in this folder: a BEIR folder holds ` +
          "corpus.jsonl, queries.jsonl and qrels/<split>.tsv (a probe set, its probe.json naming the corpus)\n",
      );
    }
  });

  it("reports a Node system error with its path, not a stack trace", async () => {
    // The index path is a file: making the staging folder beside it fails inside Node.
    const file = join(tmp, "a-file");
    await writeFile(file, "x");
    const { code, err } = await cli("index", dataset, "--index", join(file, "index"));
    expect(code).toBe(1);
    expect(err).toMatch(
      /^pairlift: error \[E_NOT_FOUND\]: .*a-file.*: not a directory \(\w+\)\n$/u,
    );
  });

  it("names a port in use", async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    onTestFinished(() => new Promise<void>((resolve) => taken.close(() => resolve())));
    const port = (taken.address() as AddressInfo).port;
    const { code, err } = await cli(
      "serve",
      "--index",
      pipedIndex,
      "--port",
      String(port),
      "--log",
      join(tmp, "port-in-use.sqlite"),
    );
    expect(code).toBe(1);
    expect(err).toBe(
      `pairlift: error [E_UNAVAILABLE]: field "port": port ${port} on 127.0.0.1 is already in use; ` +
        "choose another with --port (0 picks a free one)\n",
    );
  });
});

describe("pairlift index: field mappings", () => {
  let csv: string;
  beforeAll(async () => {
    csv = join(tmp, "catalogue.csv");
    await writeFile(
      csv,
      "sku,name,description\nKT-2040,Kestrel drill,Cordless drill driver.\nWD1680,Filter,Cartridge filter.\n",
    );
  });

  it("names a title or text column the file lacks and lists the ones it has", async () => {
    const title = await cli(
      ...["index", csv, "--index", join(tmp, "map-title"), "--id-field", "sku"],
      ...["--title-field", "title", "--text-field", "desc"],
    );
    expect(title.code).toBe(1);
    expect(title.err).toBe(
      `pairlift: error [E_FIELD]: ${csv}:2: field "desc": no column "desc" (--text-field): ` +
        'the columns are "sku", "name", "description"\n',
    );
    const text = await cli(
      ...["index", csv, "--index", join(tmp, "map-text"), "--id-field", "sku"],
      ...["--title-field", "title_name", "--text-field", "description"],
    );
    expect(text.err).toMatch(/no column "title_name" \(--title-field\): the columns are "sku",/u);
  });

  it("suggests --id-field when the records have no id", async () => {
    const { code, err } = await cli("index", csv, "--index", join(tmp, "map-id"));
    expect(code).toBe(1);
    expect(err).toBe(
      `pairlift: error [E_FIELD]: ${csv}:2: field "_id": no id column "_id": ` +
        'the columns are "sku", "name", "description"; name the id column with --id-field\n',
    );
    const mapped = await cli(
      ...["index", csv, "--index", join(tmp, "map-ok"), "--id-field", "sku"],
      ...["--title-field", "name", "--text-field", "description"],
    );
    expect(mapped.code, mapped.err).toBe(0);
  });
});

describe("pairlift index: catalogue fields with roles", () => {
  let jsonl: string;
  beforeAll(async () => {
    jsonl = join(tmp, "products.jsonl");
    const products = [
      { id: "p1", mpn: "KT-2040", brand: "Kestrel", name: "Kestrel drill driver", about: "18V." },
      {
        id: "p2",
        mpn: "KT-BH20",
        brand: "Kestrel",
        name: "Belt hook",
        about: "Fits the KT-2040, KT-2060 and KT-3010; KT-2040 screws included.",
      },
      { id: "p3", mpn: "LM-7", brand: "Black & Decker", name: "Work light", about: "LED." },
    ];
    await writeFile(jsonl, products.map((product) => JSON.stringify(product)).join("\n"));
  });

  const mapping = ["--id-field", "id", "--title-field", "name", "--text-field", "about"];

  it("indexes the columns --field names, with their role and weight, and says which", async () => {
    const dir = join(tmp, "roles");
    const built = await cli(
      ...["index", jsonl, "--index", dir, ...mapping],
      ...["--field", "mpn:identifier:5", "--field", "brand:keyword:2"],
    );
    expect(built.code, built.err).toBe(0);
    expect(built.out).toContain(
      "fields: title (text, 1), text (text, 1), mpn (identifier, 5), brand (keyword, 2)\n",
    );
    const search = await cli("search", "--index", dir, "kt2040", "-k", "2");
    expect(search.out).toMatch(/^ {2}1\. [\d.]+ {2}p1 {2}Kestrel drill driver\n/);
    expect((await cli("search", "--index", dir, "black decker light", "-k", "1")).out).toMatch(
      /^ {2}1\. [\d.]+ {2}p3 /,
    );
    const bad = await cli("index", jsonl, "--index", join(tmp, "bad-role"), "--field", "mpn:code");
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/bad role "code" in field "mpn:code"/);
  });

  it("finds a column named like a product code without being asked; a config's fields: turn that off", async () => {
    const detected = await cli("index", jsonl, "--index", join(tmp, "detected"), ...mapping);
    expect(detected.code, detected.err).toBe(0);
    expect(detected.out).toContain(
      "fields: title (text, 1), text (text, 1), mpn (identifier, 5)\n",
    );
    const config = join(tmp, "fields.yaml");
    await writeFile(config, "fields:\n  - { name: title, weight: 2 }\n");
    const configured = await cli(
      ...["index", jsonl, "--index", join(tmp, "configured"), ...mapping, "--config", config],
    );
    expect(configured.code, configured.err).toBe(0);
    expect(configured.out).toContain("fields: title (text, 2), text (text, 1)\n");
  });
});

describe("progress of the commands that learn", () => {
  let config: string;
  beforeAll(async () => {
    // A tiny GloVe-format file: a second retriever to fuse, with no model to load.
    const vectors = join(tmp, "tiny-vectors.txt");
    await writeFile(vectors, "drill 1 0 0\nfilter 0 1 0\nhose 0 0 1\nkt 1 0 1\n");
    config = join(tmp, "progress.config.yaml");
    await writeFile(config, `embedders:\n  tiny: { provider: static, vectors: ${vectors} }\n`);
  });

  /** The CLI with a terminal on stderr: progress lines are drawn (each redraw as a line here). */
  async function interactive(...argv: string[]): Promise<{ code: number; err: string }> {
    const io = { ...bufferIO(), interactive: true };
    const code = await runCli(argv, io);
    return { code, err: io.err().replaceAll("\r\x1b[2K", "\n") };
  }

  it("tune-fusion shows its stages: queries, then the fusion settings it tries", async () => {
    const { code, err } = await interactive(
      ...["tune-fusion", "--dataset", dataset, "--split", "test", "--no-test-split"],
      ...["--pipeline", "hybrid:tiny", "--config", config, "--out", join(tmp, "tuned.json")],
    );
    expect(code, err).toBe(0);
    expect(err).toMatch(/\nqueries:test \[█+░*\] \d+% \d\/3/u);
    expect(err).toMatch(/\nfusion settings \d+/u);
    expect(err.endsWith("\n")).toBe(true);
  });

  it("train-reranker shows its stages: queries, then the trees it grows", async () => {
    const { code, err } = await interactive(
      ...["train-reranker", "--dataset", dataset, "--split", "test", "--pipeline", "bm25"],
      ...["--trees", "5", "--out", join(tmp, "ltr.json")],
    );
    expect(code, err).toBe(0);
    expect(err).toMatch(/\nqueries \[█+░*\] \d+% \d\/3/u);
    expect(err).toContain("\ntrees [████████████████████████] 100% 5/5");
  });
});
