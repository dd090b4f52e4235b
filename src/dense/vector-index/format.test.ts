import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { tempDir } from "../../../test/support/vector-reference.js";
import { createVectorIndex } from "./create.js";
import type { HnswIndex } from "./hnsw.js";
import { GaussianMixture } from "./synthetic.js";
import { loadVectorIndex } from "./vector-index.js";
import type { VectorIndexKind } from "./vector-index.js";

const D = 8;
const data = new GaussianMixture({ dimension: D, clusters: 4, spread: 1, seed: 1 }).sample(50, 1);
const dir = tempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function saved(kind: VectorIndexKind): Promise<{ path: string; bytes: Buffer }> {
  const index = createVectorIndex(kind, { dimension: D });
  index.add(data);
  const path = join(dir, `${kind}.vectors`);
  await index.save(path);
  return { path, bytes: readFileSync(path) };
}

async function loadError(path: string): Promise<{ code: string; message: string }> {
  try {
    await loadVectorIndex(path);
  } catch (error) {
    return error as { code: string; message: string };
  }
  throw new Error("expected loading to fail");
}

function withHeader(bytes: Buffer, edit: (header: Record<string, unknown>) => void): Buffer {
  const length = bytes.readUInt32LE(12);
  const header = JSON.parse(bytes.toString("utf8", 16, 16 + length)) as Record<string, unknown>;
  edit(header);
  const text = Buffer.from(JSON.stringify(header));
  // Pad to the old length so the sections stay where they are.
  expect(text.length).toBeLessThanOrEqual(length);
  const out = Buffer.from(bytes);
  out.fill(0x20, 16, 16 + length);
  text.copy(out, 16);
  return out;
}

describe("vector index files", () => {
  it.each(["flat", "flat-int8", "hnsw"] as const)(
    "%s: a truncated file, bad magic, unknown version or bad header is E_INDEX_FORMAT",
    async (kind) => {
      const { path, bytes } = await saved(kind);
      const bad = join(dir, `${kind}.bad`);

      writeFileSync(bad, bytes.subarray(0, bytes.length - 5));
      let error = await loadError(bad);
      expect(error.code).toBe("E_INDEX_FORMAT");
      expect(error.message).toMatch(/truncated/);

      writeFileSync(bad, bytes.subarray(0, 10));
      expect((await loadError(bad)).message).toMatch(/too short/);

      const magic = Buffer.from(bytes);
      magic.write("NOTVECTR", 0, "latin1");
      writeFileSync(bad, magic);
      expect((await loadError(bad)).message).toMatch(/bad magic bytes/);

      const version = Buffer.from(bytes);
      version.writeUInt32LE(99, 8);
      writeFileSync(bad, version);
      error = await loadError(bad);
      expect(error.code).toBe("E_INDEX_FORMAT");
      expect(error.message).toMatch(/format version 99 is not supported .*reads version 1/);

      const json = Buffer.from(bytes);
      json.write("{{{{", 16, "latin1");
      writeFileSync(bad, json);
      expect((await loadError(bad)).message).toMatch(/header is not JSON/);

      writeFileSync(
        bad,
        withHeader(bytes, (header) => (header["kind"] = "ivf")),
      );
      expect((await loadError(bad)).message).toMatch(/unknown index kind "ivf"/);

      writeFileSync(
        bad,
        withHeader(bytes, (header) => (header["slotCount"] = 51)),
      );
      expect((await loadError(bad)).message).toMatch(/section (vectors|removed) has \d+ bytes/);

      writeFileSync(
        bad,
        withHeader(bytes, (header) => (header["removedCount"] = 2)),
      );
      expect((await loadError(bad)).message).toMatch(/removed marks 0 slots, the header says 2/);

      // The intact file still loads.
      expect((await loadVectorIndex(path)).size).toBe(50);
    },
  );

  it("a corrupt native HNSW section is refused before it reaches native code", async () => {
    const { bytes } = await saved("hnsw");
    const length = bytes.readUInt32LE(12);
    const header = JSON.parse(bytes.toString("utf8", 16, 16 + length)) as {
      sections: Record<string, [number, number]>;
    };
    const base = Math.ceil((16 + length) / 8) * 8;
    const native = base + header.sections["native"]![0];
    const bad = join(dir, "hnsw-native.bad");

    const rows = Buffer.from(bytes);
    rows.writeUInt32LE(1000, native);
    writeFileSync(bad, rows);
    expect((await loadError(bad)).message).toMatch(/section native holds 1000 vectors/);

    const magic = Buffer.from(bytes);
    magic.write("garbage", native + 8 + 50 * D * 4, "latin1");
    writeFileSync(bad, magic);
    expect((await loadError(bad)).message).toMatch(/section native is not a usearch index/);
  });

  it("an HNSW file from before quantization loads as an f32 graph; bad quantization params are refused", async () => {
    const { path, bytes } = await saved("hnsw");
    const original = await loadVectorIndex(path);
    const old = join(dir, "hnsw-before-quantization.vectors");
    writeFileSync(
      old,
      withHeader(bytes, (header) => {
        const params = header["params"] as Record<string, unknown>;
        delete params["quantization"];
        delete params["rescore"];
      }),
    );
    const loaded = (await loadVectorIndex(old)) as HnswIndex;
    expect(loaded.quantization).toBe("f32");
    expect(Array.from(loaded.search(data.subarray(0, D), 5).slots)).toEqual(
      Array.from(original.search(data.subarray(0, D), 5).slots),
    );
    const bad = join(dir, "hnsw-quantization.bad");
    const edit = (key: string, value: unknown) =>
      withHeader(bytes, (header) => ((header["params"] as Record<string, unknown>)[key] = value));
    writeFileSync(bad, edit("quantization", "i4"));
    expect(await loadError(bad)).toMatchObject({
      code: "E_INDEX_FORMAT",
      message: expect.stringMatching(/unknown quantization "i4"/),
    });
    // An f32 graph with float rows to re-score against would be a contradiction.
    writeFileSync(bad, edit("rescore", true));
    expect((await loadError(bad)).message).toMatch(/parameter rescore is true/);
  });

  it("a missing file is E_NOT_FOUND", async () => {
    const error = await loadError(join(dir, "nothing-here.vectors"));
    expect(error.code).toBe("E_NOT_FOUND");
  });

  it("saving replaces the file atomically and leaves no temporary files", async () => {
    const { path } = await saved("hnsw");
    await saved("hnsw");
    const { readdirSync } = await import("node:fs");
    expect(
      readdirSync(dir).filter((name) => name.includes(".tmp-") || name.includes(".usearch-")),
    ).toEqual([]);
    expect((await loadVectorIndex(path)).kind).toBe("hnsw");
  });
});
