import { createHash } from "node:crypto";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type Database from "better-sqlite3";
import { PairliftError } from "../errors.js";
import { requireOptional } from "../optional-module.js";
import { cacheDir } from "../store/cache-dir.js";
import type { EmbedRole, EmbedderIdentity } from "./embedder.js";

/**
 * A persistent embedding cache in SQLite. Vectors are keyed by the model's identity
 * (provider, model, revision, output-affecting options) and the SHA-256 of the role and the
 * exact text, so re-indexing a corpus with a model it has seen embeds nothing, and swapping a
 * model embeds only what that model has not seen. A model's vectors all have one dimension:
 * a vector of another dimension is refused, never mixed in.
 */
export interface CachedModelStats {
  key: string;
  provider: string;
  model: string;
  revision: string;
  options: Record<string, unknown>;
  dimension: number;
  vectors: number;
  bytes: number;
  createdAt: string;
  lastUsedAt: string;
}

export interface PruneOptions {
  /** Drop models not used for this many days. */
  olderThanDays?: number;
  /** Drop these models (by key, or provider/model). */
  models?: readonly string[];
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS models (
  id INTEGER PRIMARY KEY,
  key TEXT NOT NULL UNIQUE,
  provider TEXT NOT NULL,
  model TEXT NOT NULL,
  revision TEXT NOT NULL,
  options TEXT NOT NULL,
  dimension INTEGER,
  created_at INTEGER NOT NULL,
  last_used_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS embeddings (
  model_id INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,
  text_hash BLOB NOT NULL,
  vector BLOB NOT NULL,
  PRIMARY KEY (model_id, text_hash)
) WITHOUT ROWID;
PRAGMA user_version = 1;
`;

/** A stable key for an identity: canonical JSON (sorted keys) hashed. */
export function identityKey(identity: EmbedderIdentity): string {
  const canonical = JSON.stringify(identity, (_key, value: unknown) =>
    value !== null && typeof value === "object" && !Array.isArray(value)
      ? Object.fromEntries(
          Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
        )
      : value,
  );
  return createHash("sha256").update(canonical).digest("hex").slice(0, 32);
}

function textHash(role: EmbedRole, text: string): Buffer {
  return createHash("sha256").update(role).update("\0").update(text).digest();
}

export class EmbeddingCache {
  private readonly db: Database.Database;
  private readonly modelIds = new Map<string, { id: number; dimension: number | null }>();
  /** Identity → key, so a lookup does not hash the identity again (identities are not mutated). */
  private readonly keys = new WeakMap<EmbedderIdentity, string>();
  private select: Database.Statement<[number, Buffer], { vector: Buffer }> | undefined;
  /** When each model's last_used_at was last written: a server's every query need not write it. */
  private readonly touched = new Map<number, number>();

  constructor(readonly path: string) {
    // better-sqlite3 is an optional dependency: absent when its native build failed.
    const Sqlite = requireOptional<typeof Database>("better-sqlite3", {
      purpose: "the embedding cache",
    });
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
    try {
      // Several processes (an eval, a lab sweep, a server) may share one cache: wait for a
      // writer's lock rather than fail a query after better-sqlite3's default 5 s.
      this.db = new Sqlite(path, { timeout: 30_000 });
      this.db.pragma("journal_mode = WAL");
      this.db.pragma("synchronous = NORMAL");
      this.db.pragma("foreign_keys = ON");
      this.db.exec(SCHEMA);
    } catch (error) {
      throw new PairliftError(
        "E_INDEX_FORMAT",
        `cannot open the embedding cache: ${String(error)}`,
        { file: path },
        error,
      );
    }
  }

  close(): void {
    this.db.close();
  }

  /** Cached vectors for texts, in order; undefined where not cached. */
  getMany(
    identity: EmbedderIdentity,
    role: EmbedRole,
    texts: readonly string[],
  ): Array<Float32Array | undefined> {
    const model = this.model(identity);
    const select = (this.select ??= this.db.prepare<[number, Buffer], { vector: Buffer }>(
      "SELECT vector FROM embeddings WHERE model_id = ? AND text_hash = ?",
    ));
    const out = texts.map((text) => {
      const row = select.get(model.id, textHash(role, text));
      return row === undefined ? undefined : toFloat32(row.vector);
    });
    this.touch(model.id);
    return out;
  }

  /** Stores vectors; all must have the model's dimension (the first vectors stored fix it). */
  putMany(
    identity: EmbedderIdentity,
    role: EmbedRole,
    texts: readonly string[],
    vectors: readonly Float32Array[],
  ): void {
    if (texts.length !== vectors.length) {
      throw new PairliftError("E_FIELD", `got ${vectors.length} vectors for ${texts.length} texts`);
    }
    if (texts.length === 0) return;
    const model = this.model(identity);
    const dimension = model.dimension ?? vectors[0]!.length;
    for (const [i, vector] of vectors.entries()) {
      if (vector.length !== dimension) {
        throw new PairliftError(
          "E_FIELD",
          `vector ${i} of ${identity.provider}/${identity.model} has dimension ${vector.length}, but this model's cached vectors have dimension ${dimension}; refusing to mix them (prune the model with \`pairlift cache prune --model ${identityKey(identity)}\` if it really changed)`,
          { field: "dimension" },
        );
      }
    }
    const insert = this.db.prepare(
      "INSERT OR REPLACE INTO embeddings (model_id, text_hash, vector) VALUES (?, ?, ?)",
    );
    const write = this.db.transaction(() => {
      if (model.dimension === null) {
        this.db.prepare("UPDATE models SET dimension = ? WHERE id = ?").run(dimension, model.id);
        model.dimension = dimension;
      }
      texts.forEach((text, i) => {
        const vector = vectors[i]!;
        insert.run(
          model.id,
          textHash(role, text),
          Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength),
        );
      });
    });
    write();
  }

  /** The dimension this model's cached vectors have, if any are cached. */
  dimensionOf(identity: EmbedderIdentity): number | undefined {
    return this.model(identity).dimension ?? undefined;
  }

  stats(): CachedModelStats[] {
    const rows = this.db
      .prepare<
        [],
        {
          key: string;
          provider: string;
          model: string;
          revision: string;
          options: string;
          dimension: number | null;
          vectors: number;
          bytes: number | null;
          created_at: number;
          last_used_at: number;
        }
      >(
        `SELECT m.key, m.provider, m.model, m.revision, m.options, m.dimension, m.created_at, m.last_used_at,
                COUNT(e.text_hash) AS vectors, SUM(LENGTH(e.vector)) AS bytes
           FROM models m LEFT JOIN embeddings e ON e.model_id = m.id
          GROUP BY m.id ORDER BY m.last_used_at DESC`,
      )
      .all();
    return rows.map((row) => ({
      key: row.key,
      provider: row.provider,
      model: row.model,
      revision: row.revision,
      options: JSON.parse(row.options) as Record<string, unknown>,
      dimension: row.dimension ?? 0,
      vectors: row.vectors,
      bytes: row.bytes ?? 0,
      createdAt: new Date(row.created_at).toISOString(),
      lastUsedAt: new Date(row.last_used_at).toISOString(),
    }));
  }

  /** Deletes whole models' vectors; returns how many vectors went. Reclaims the space. */
  prune(options: PruneOptions): { models: number; vectors: number } {
    const doomed = this.stats().filter((model) => {
      const named =
        options.models?.some(
          (name) => name === model.key || name === `${model.provider}/${model.model}`,
        ) ?? false;
      const stale =
        options.olderThanDays !== undefined &&
        Date.parse(model.lastUsedAt) < Date.now() - options.olderThanDays * 86_400_000;
      return named || stale;
    });
    const remove = this.db.transaction(() => {
      for (const model of doomed) {
        this.db
          .prepare("DELETE FROM embeddings WHERE model_id = (SELECT id FROM models WHERE key = ?)")
          .run(model.key);
        this.db.prepare("DELETE FROM models WHERE key = ?").run(model.key);
      }
    });
    remove();
    this.modelIds.clear();
    if (doomed.length > 0) this.db.exec("VACUUM");
    return {
      models: doomed.length,
      vectors: doomed.reduce((sum, model) => sum + model.vectors, 0),
    };
  }

  private model(identity: EmbedderIdentity): { id: number; dimension: number | null } {
    let key = this.keys.get(identity);
    if (key === undefined) this.keys.set(identity, (key = identityKey(identity)));
    let model = this.modelIds.get(key);
    if (model !== undefined) return model;
    const now = Date.now();
    this.db
      .prepare(
        "INSERT OR IGNORE INTO models (key, provider, model, revision, options, created_at, last_used_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
      )
      .run(
        key,
        identity.provider,
        identity.model,
        identity.revision,
        JSON.stringify(identity.options),
        now,
        now,
      );
    const row = this.db
      .prepare<[string], { id: number; dimension: number | null }>(
        "SELECT id, dimension FROM models WHERE key = ?",
      )
      .get(key)!;
    model = { id: row.id, dimension: row.dimension };
    this.modelIds.set(key, model);
    return model;
  }

  /** Records use, at most once a minute per model (a write transaction per query would be the cost). */
  private touch(modelId: number): void {
    const now = Date.now();
    if (now - (this.touched.get(modelId) ?? -Infinity) < 60_000) return;
    this.touched.set(modelId, now);
    this.db.prepare("UPDATE models SET last_used_at = ? WHERE id = ?").run(now, modelId);
  }
}

/** Copies a SQLite blob into its own, aligned Float32Array. */
function toFloat32(blob: Buffer): Float32Array {
  const vector = new Float32Array(blob.byteLength / 4);
  new Uint8Array(vector.buffer).set(blob);
  return vector;
}

/** The embedding cache every command shares: `embeddings.sqlite` in the cache directory. */
export function openDefaultEmbeddingCache(): EmbeddingCache {
  return new EmbeddingCache(cacheDir("embeddings.sqlite"));
}
