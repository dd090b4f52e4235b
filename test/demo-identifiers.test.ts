import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { evaluateDataset } from "../src/eval/evaluate-dataset.js";
import { readBeirQrels, readBeirQueries } from "../src/io/beir.js";

/** The bundled demo catalogue: identifier handling must find SKUs that plain word matching loses. */
const demo = fileURLToPath(new URL("../data/demo", import.meta.url));
const cacheRoot = await mkdtemp(join(tmpdir(), "pairlift-demo-"));
afterAll(() => rm(cacheRoot, { recursive: true, force: true }));

async function meanByTag(identifiers: boolean): Promise<Record<string, number>> {
  const { report } = await evaluateDataset({
    dataset: demo,
    cacheRoot,
    lexical: { analyzer: { identifiers } },
  });
  const queries = await readBeirQueries(join(demo, "queries.jsonl"));
  const sums: Record<string, { total: number; n: number }> = {};
  for (const [qid, metrics] of Object.entries(report.perQuery)) {
    const tags = (queries.get(qid)?.metadata?.["tags"] as string[] | undefined) ?? [];
    for (const tag of tags) {
      const entry = (sums[tag] ??= { total: 0, n: 0 });
      entry.total += metrics["ndcg@10"]!;
      entry.n += 1;
    }
  }
  return Object.fromEntries(Object.entries(sums).map(([tag, { total, n }]) => [tag, total / n]));
}

describe("identifier-aware BM25 on the demo catalogue", () => {
  it("beats plain word matching on identifier queries without losing natural-language ones", async () => {
    const aware = await meanByTag(true);
    const plain = await meanByTag(false);
    expect(aware["identifier"]).toBeGreaterThan(plain["identifier"]! + 0.1);
    expect(aware["normalized"]).toBeGreaterThan(plain["normalized"]! + 0.3); // `kt2040` for `KT-2040`
    expect(aware["natural-language"]).toBeGreaterThanOrEqual(plain["natural-language"]! - 0.01);
  });
});

/**
 * The hard cases of issue 13 in the demo data: an identifier lookup must find the product that
 * *is* the identifier, not the accessories, parts, kits and sibling SKUs that name it. These
 * tests pin the data (judgments and tags), so a regenerated demo cannot silently lose a case;
 * they assert nothing about rankings.
 */
describe("the demo's hard identifier cases (issue 13)", () => {
  /** SKU → document id, query text → { id, tags }, query id → (SKU → grade), test query ids. */
  const docOf = new Map<string, string>();
  const skuOf = new Map<string, string>();
  const textOf = new Map<string, string>();
  const queryOf = new Map<string, { id: string; tags: string[] }>();
  const grades = new Map<string, Map<string, number>>();
  const testIds = new Set<string>();

  beforeAll(async () => {
    const corpus = await readFile(join(demo, "corpus.jsonl"), "utf8");
    for (const line of corpus.split("\n").filter(Boolean)) {
      const doc = JSON.parse(line) as {
        _id: string;
        title: string;
        text: string;
        metadata: { sku: string };
      };
      docOf.set(doc.metadata.sku, doc._id);
      skuOf.set(doc._id, doc.metadata.sku);
      textOf.set(doc.metadata.sku, `${doc.title} ${doc.text}`);
    }
    const queries = await readBeirQueries(join(demo, "queries.jsonl"));
    for (const query of queries.values()) {
      const tags = (query.metadata?.["tags"] as string[] | undefined) ?? [];
      queryOf.set(query.text, { id: query.id, tags });
    }
    for (const split of ["test", "train"]) {
      const qrels = await readBeirQrels(join(demo, "qrels", `${split}.tsv`), queries);
      for (const [qid, judged] of qrels) {
        if (split === "test") testIds.add(qid);
        grades.set(qid, new Map([...judged].map(([doc, grade]) => [skuOf.get(doc)!, grade])));
      }
    }
  });

  /** The judged grade of `sku` for the query with this text (0 when unjudged). */
  function grade(text: string, sku: string): number {
    const query = queryOf.get(text);
    if (query === undefined) throw new Error(`no demo query ${JSON.stringify(text)}`);
    if (!docOf.has(sku)) throw new Error(`no demo product ${sku}`);
    return grades.get(query.id)?.get(sku) ?? 0;
  }
  const tagsOf = (text: string) => queryOf.get(text)?.tags ?? [];

  it("keeps the original ids: p0057 is the KT-2040 drill, p0161 the KT-BH20 belt hook that names it", () => {
    expect(docOf.get("KT-2040")).toBe("p0057");
    expect(docOf.get("KT-BH20")).toBe("p0161");
    expect(docOf.get("KT-2040X")).toBe("p0401");
    expect(queryOf.get("kt2040")?.id).toBe("q006");
    expect(textOf.get("KT-BH20")).toContain("KT-2040");
  });

  // [query, the product it names (2), products that name it or share its prefix (0), kin (1), tags]
  const owners: [string, string, string[], string[], string[]][] = [
    [
      "kt2040",
      "KT-2040",
      ["KT-BH20", "KT-CH13", "KT-2040-SH", "2300-218-040", "2300-218-041"],
      ["KT-2040X"],
      ["normalized", "owner-vs-accessory", "sibling-sku"],
    ],
    [
      "KT-2040",
      "KT-2040",
      ["KT-BH20", "KT-CH13", "KT-2040-SH", "2300-218-040"],
      ["KT-2040X"],
      ["exact", "owner-vs-accessory", "sibling-sku"],
    ],
    [
      "kt 2040",
      "KT-2040",
      ["KT-BH20", "KT-CH13", "KT-2040-SH"],
      ["KT-2040X"],
      ["split", "owner-vs-accessory"],
    ],
    [
      "kt2040drill",
      "KT-2040",
      ["KT-BH20", "KT-CH13", "KT-2040-SH"],
      ["KT-2040X"],
      ["code-in-word", "owner-vs-accessory", "identifier-plus-words"],
    ],
    [
      "KT-2060",
      "KT-2060",
      ["KT-BH20", "KT-CH13", "KT-2040-SH", "2300-218-040"],
      ["KT-2060X"],
      ["exact", "owner-vs-accessory"],
    ],
    [
      "kt3010",
      "KT-3010",
      ["KT-BH20", "2300-218-040", "2300-218-041"],
      ["KT-3010X"],
      ["normalized", "owner-vs-accessory"],
    ],
    [
      "WD1680",
      "WD1680",
      ["WD1680R", "WF1680", "3300-016-801"],
      [],
      ["exact", "owner-vs-accessory", "sibling-sku"],
    ],
    ["WD1680R", "WD1680R", ["WD1680"], [], ["exact", "sibling-sku"]],
    ["wd1680 r", "WD1680R", ["WD1680"], [], ["split", "sibling-sku"]],
    [
      "X100",
      "X100",
      ["X100-F", "X100-BT", "X1000"],
      ["X100P"],
      ["exact", "owner-vs-accessory", "sibling-sku"],
    ],
    ["x100vacuum", "X100", ["X100-F", "X100-BT", "X1000"], ["X100P"], ["code-in-word"]],
    ["X100-F", "X100-F", ["X100", "X100P"], [], ["exact", "sibling-sku"]],
    ["X1000", "X1000", ["X100"], [], ["exact", "sibling-sku"]],
    [
      "AP-120",
      "AP-120",
      ["AP-120H", "AP-120C"],
      [],
      ["exact", "owner-vs-accessory", "sibling-sku"],
    ],
    ["ap 120", "AP-120", ["AP-120H", "AP-120C"], [], ["split", "owner-vs-accessory"]],
    ["KT-2040-SH", "KT-2040-SH", ["KT-2040"], [], ["exact", "sibling-sku"]],
    ["bsr18v55", "BSR18V-55", [], ["BSR18V-55K"], ["normalized", "sibling-sku"]],
    ["BSR18V-55K", "BSR18V-55K", [], ["BSR18V-55"], ["exact", "sibling-sku"]],
    ["bsr18v55kit", "BSR18V-55K", [], ["BSR18V-55"], ["code-in-word", "sibling-sku"]],
  ];
  it.each(owners)(
    "%s: the product %s is 2; what names it is not relevant",
    (text, owner, others, kin, tags) => {
      expect(grade(text, owner)).toBe(2);
      for (const sku of others) expect(grade(text, sku), sku).toBe(0);
      for (const sku of kin) expect(grade(text, sku), sku).toBe(1);
      expect(tagsOf(text)).toEqual(expect.arrayContaining(["identifier", ...tags]));
      // Every product listed as naming the owner really does name it (or extends its SKU).
      const compact = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, "");
      for (const sku of others) {
        const names = textOf.get(sku)!.includes(owner) || textOf.get(owner)!.includes(sku);
        const sibling =
          compact(sku).startsWith(compact(owner)) || compact(owner).startsWith(compact(sku));
        expect(names || sibling, `${sku} names or extends ${owner}`).toBe(true);
      }
    },
  );

  // [query, the accessories it asks for (2), the product it names (0), tags]
  const accessories: [string, string[], string, string[]][] = [
    ["x100 filter", ["X100-F"], "X100", ["compatibility", "identifier-plus-words"]],
    ["x100 battery", ["X100-BT"], "X100", ["compatibility", "identifier-plus-words"]],
    ["AP-120 filter", ["AP-120H", "AP-120C"], "AP-120", ["compatibility", "identifier-plus-words"]],
    ["ap120filter", ["AP-120H", "AP-120C"], "AP-120", ["code-in-word", "compatibility"]],
    [
      "kt2040 battery",
      ["2300-218-040", "KT-B20", "KT-B40", "KT-B50"],
      "KT-2040",
      ["compatibility", "identifier-plus-words"],
    ],
    ["kt-2040 chuck", ["KT-CH13"], "KT-2040", ["compatibility", "identifier-plus-words"]],
    [
      "side handle for kt2060",
      ["KT-2040-SH"],
      "KT-2060",
      ["compatibility", "identifier-plus-words"],
    ],
    ["belt hook for kt3010", ["KT-BH20"], "KT-3010", ["compatibility", "identifier-plus-words"]],
    [
      "wd1680filter",
      ["WF1680", "WD1680R", "3300-016-801"],
      "WD1680",
      ["code-in-word", "compatibility"],
    ],
    [
      "VCD791 battery",
      ["VCB203", "VCB205"],
      "VCD791D2",
      ["compatibility", "identifier-plus-words"],
    ],
  ];
  it.each(accessories)(
    "%s: the words ask for the accessory (%j is 2), not the product %s",
    (text, wanted, named, tags) => {
      for (const sku of wanted) expect(grade(text, sku), sku).toBe(2);
      expect(grade(text, named)).toBe(0);
      expect(tagsOf(text)).toEqual(expect.arrayContaining(["identifier", ...tags]));
    },
  );

  it("has enough test queries in each hard-case slice for the gate to judge it (10 or more)", () => {
    const inTest = (tag: string) =>
      [...queryOf.values()].filter((q) => testIds.has(q.id) && q.tags.includes(tag)).length;
    for (const tag of [
      "owner-vs-accessory",
      "sibling-sku",
      "identifier-plus-words",
      "code-in-word",
      "split",
    ]) {
      expect(inTest(tag), tag).toBeGreaterThanOrEqual(10);
    }
  });

  // Ranking outcomes issue 13 asks for; today's scoring fails them (owner-first identifier scoring,
  // the exact-match guard and dense abstention will turn these into tests).
  it.todo("bm25 ranks the owning product first for every owner-vs-accessory and sibling-sku query");
  it.todo("bm25 reaches nDCG@10 0.95 on the identifier slice of the demo's test split");
  it.todo(
    "every hybrid and reranked pipeline of the demo lab keeps the identifier slice at nDCG@10 0.95 (exact-match guard)",
  );
  it.todo(
    "hybrid:glove on kt2040 puts KT-2040 first: the all-zero glove vector abstains instead of ranking every document",
  );
});
