import { createHash, randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sha256File } from "./hash.js";

describe("sha256File", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "pairlift-hash-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("matches a whole-file hash, for files larger than its buffer and concurrent calls", async () => {
    const files = await Promise.all(
      [0, 1, 9 * 1024 * 1024 + 7, 4 * 1024 * 1024].map(async (size, i) => {
        const path = join(dir, `f${i}`);
        await writeFile(path, randomBytes(size));
        return path;
      }),
    );
    const ours = await Promise.all(files.map((path) => sha256File(path)));
    const reference = await Promise.all(
      files.map(async (path) =>
        createHash("sha256")
          .update(await readFile(path))
          .digest("hex"),
      ),
    );
    expect(ours).toEqual(reference);
  });
});
