import { randomBytes } from "node:crypto";
import { mkdir, open, rename, rm } from "node:fs/promises";
import type { FileHandle } from "node:fs/promises";
import { dirname } from "node:path";
import { PairliftError } from "../../errors.js";
import type { VectorIndexKind, VectorMetric } from "./vector-index.js";

/**
 * On-disk vector index, version 1, shared by every kind. Little-endian, in the style of the
 * lexical index (src/lexical/format.ts):
 *
 *   "PLVECIDX" | u32 version | u32 header length | header JSON | padding to 8 | sections…
 *
 * The header holds the kind, dimension, metric, slot count, removed count, the kind's
 * parameters and each section's [offset, byteLength] relative to the first section. Every
 * section starts on an 8-byte boundary. Sections are read into buffers of their own, so that
 * float32 and int8 data load as typed-array views without decoding; a section can also be
 * streamed to another file (the HNSW kind embeds the native library's own file as a section).
 * Files are written to a temporary sibling and renamed over the target, so readers see the old
 * file or the complete new one.
 */
const MAGIC = "PLVECIDX";
const PREFIX_BYTES = 16;
export const VECTOR_FORMAT_VERSION = 1;

export const VECTOR_INDEX_KINDS: readonly VectorIndexKind[] = ["flat", "flat-int8", "hnsw"];
export const VECTOR_METRICS: readonly VectorMetric[] = ["cosine", "dot"];

/** Largest single read or write; fs calls take at most 2 GiB at once. */
const CHUNK_BYTES = 1 << 30;
/** Buffer for copying a file-backed section. */
const COPY_BYTES = 8 << 20;

export interface VectorFileHeader {
  version: number;
  kind: VectorIndexKind;
  dimension: number;
  metric: VectorMetric;
  /** Slots handed out, removed ones included. */
  slotCount: number;
  removedCount: number;
  /** The kind's own parameters. */
  params: Record<string, unknown>;
  sections: Record<string, [offset: number, byteLength: number]>;
}

export type VectorFileFields = Omit<VectorFileHeader, "version" | "sections">;

/** A section's bytes: in memory, or the whole content of another file. */
export type SectionSource = Uint8Array | { file: string; byteLength: number };

/** Writes header and sections to `path` atomically; returns the file's size in bytes. */
export async function writeVectorIndexFile(
  path: string,
  fields: VectorFileFields,
  sections: ReadonlyArray<readonly [name: string, source: SectionSource]>,
): Promise<number> {
  const table: VectorFileHeader["sections"] = {};
  let offset = 0;
  for (const [name, source] of sections) {
    table[name] = [offset, source.byteLength];
    offset = align8(offset + source.byteLength);
  }
  const header: VectorFileHeader = { version: VECTOR_FORMAT_VERSION, ...fields, sections: table };
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const base = align8(PREFIX_BYTES + headerBytes.byteLength);
  const prefix = new Uint8Array(base);
  prefix.set(new TextEncoder().encode(MAGIC), 0);
  const view = new DataView(prefix.buffer);
  view.setUint32(8, VECTOR_FORMAT_VERSION, true);
  view.setUint32(12, headerBytes.byteLength, true);
  prefix.set(headerBytes, PREFIX_BYTES);

  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`;
  const handle = await open(temporary, "w");
  try {
    await writeAll(handle, prefix, 0);
    for (const [name, source] of sections) {
      const position = base + table[name]![0];
      if (source instanceof Uint8Array) await writeAll(handle, source, position);
      else await copyFileInto(handle, source.file, source.byteLength, position);
    }
    await handle.close();
    await rename(temporary, path);
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(temporary, { force: true });
    throw error;
  }
  return base + offset;
}

/** An open vector index file whose header has been read and checked. */
export class VectorIndexFile {
  private constructor(
    readonly path: string,
    readonly header: VectorFileHeader,
    private readonly handle: FileHandle,
    private readonly base: number,
  ) {}

  static async open(path: string): Promise<VectorIndexFile> {
    const handle = await open(path, "r").catch((error: unknown) => {
      throw new PairliftError("E_NOT_FOUND", "vector index not found", { file: path }, error);
    });
    try {
      const size = (await handle.stat()).size;
      const corrupt = (why: string): PairliftError => corruptFile(path, why);
      if (size < PREFIX_BYTES) throw corrupt(`file is too short (${size} bytes)`);
      const prefix = Buffer.alloc(PREFIX_BYTES);
      await readAll(handle, prefix, 0, path);
      if (prefix.toString("latin1", 0, 8) !== MAGIC) throw corrupt("bad magic bytes");
      const version = prefix.readUInt32LE(8);
      if (version !== VECTOR_FORMAT_VERSION) {
        throw new PairliftError(
          "E_INDEX_FORMAT",
          `vector index format version ${version} is not supported (this pairlift reads version ${VECTOR_FORMAT_VERSION}); rebuild the index`,
          { file: path },
        );
      }
      const headerLength = prefix.readUInt32LE(12);
      if (PREFIX_BYTES + headerLength > size) {
        throw corrupt(
          `file is truncated: the header needs ${PREFIX_BYTES + headerLength} bytes, the file has ${size}`,
        );
      }
      const headerBytes = Buffer.alloc(headerLength);
      await readAll(handle, headerBytes, PREFIX_BYTES, path);
      let raw: unknown;
      try {
        raw = JSON.parse(headerBytes.toString("utf8"));
      } catch (error) {
        throw corrupt(`header is not JSON (${String(error)})`);
      }
      const header = checkHeader(raw, corrupt);
      const base = align8(PREFIX_BYTES + headerLength);
      for (const [name, [offset, byteLength]] of Object.entries(header.sections)) {
        if (base + offset + byteLength > size) {
          throw corrupt(
            `file is truncated: section ${name} ends at byte ${base + offset + byteLength}, the file has ${size}`,
          );
        }
      }
      return new VectorIndexFile(path, header, handle, base);
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  /** An `E_INDEX_FORMAT` error about this file. */
  corrupt(why: string): PairliftError {
    return corruptFile(this.path, why);
  }

  /** Byte length of a section; a missing section or a length other than `expected` is corrupt. */
  sectionLength(name: string, expected?: number): number {
    const entry = this.header.sections[name];
    if (entry === undefined) throw this.corrupt(`section ${name} missing`);
    if (expected !== undefined && entry[1] !== expected) {
      throw this.corrupt(`section ${name} has ${entry[1]} bytes, expected ${expected}`);
    }
    return entry[1];
  }

  /** Reads a section into a buffer of its own (offset 0, so any typed-array view is aligned). */
  async read(name: string, expectedBytes?: number): Promise<Uint8Array> {
    const byteLength = this.sectionLength(name, expectedBytes);
    const out = new Uint8Array(byteLength);
    await readAll(this.handle, out, this.base + this.header.sections[name]![0], this.path);
    return out;
  }

  /** Reads bytes [at, at + byteLength) of a section, fewer past its end (to check a nested format). */
  async peek(name: string, at: number, byteLength: number): Promise<Uint8Array> {
    const length = Math.max(0, Math.min(byteLength, this.sectionLength(name) - at));
    const out = new Uint8Array(length);
    await readAll(this.handle, out, this.base + this.header.sections[name]![0] + at, this.path);
    return out;
  }

  /** Streams a section into a new file at `target`. */
  async copyTo(name: string, target: string): Promise<void> {
    const byteLength = this.sectionLength(name);
    const start = this.base + this.header.sections[name]![0];
    const out = await open(target, "w");
    try {
      const buffer = new Uint8Array(Math.min(COPY_BYTES, Math.max(byteLength, 1)));
      for (let done = 0; done < byteLength;) {
        const length = Math.min(buffer.byteLength, byteLength - done);
        const chunk = buffer.subarray(0, length);
        await readAll(this.handle, chunk, start + done, this.path);
        await writeAll(out, chunk, done);
        done += length;
      }
    } finally {
      await out.close();
    }
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}

export function openVectorIndexFile(path: string): Promise<VectorIndexFile> {
  return VectorIndexFile.open(path);
}

/** The bytes of a typed array (a view, not a copy). */
export function bytesOf(array: ArrayBufferView, byteLength = array.byteLength): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, byteLength);
}

export function align8(value: number): number {
  return Math.ceil(value / 8) * 8;
}

function corruptFile(path: string, why: string): PairliftError {
  return new PairliftError("E_INDEX_FORMAT", `not a readable pairlift vector index: ${why}`, {
    file: path,
  });
}

function checkHeader(raw: unknown, corrupt: (why: string) => PairliftError): VectorFileHeader {
  if (typeof raw !== "object" || raw === null) throw corrupt("header is not an object");
  const header = raw as Partial<Record<keyof VectorFileHeader, unknown>>;
  const count = (name: keyof VectorFileHeader, min: number): number => {
    const value = header[name];
    if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min) {
      throw corrupt(`header field ${name} is ${JSON.stringify(value)}`);
    }
    return value;
  };
  if (header.version !== VECTOR_FORMAT_VERSION) throw corrupt("header version disagrees");
  const kind = header.kind;
  if (!VECTOR_INDEX_KINDS.includes(kind as VectorIndexKind)) {
    throw corrupt(`unknown index kind ${JSON.stringify(kind)}`);
  }
  const metric = header.metric;
  if (!VECTOR_METRICS.includes(metric as VectorMetric)) {
    throw corrupt(`unknown metric ${JSON.stringify(metric)}`);
  }
  const dimension = count("dimension", 1);
  const slotCount = count("slotCount", 0);
  const removedCount = count("removedCount", 0);
  if (removedCount > slotCount) throw corrupt("more removed slots than slots");
  const params = header.params;
  if (typeof params !== "object" || params === null) throw corrupt("header has no params");
  const sections = header.sections;
  if (typeof sections !== "object" || sections === null) throw corrupt("header has no sections");
  for (const [name, entry] of Object.entries(sections)) {
    const valid =
      Array.isArray(entry) &&
      entry.length === 2 &&
      entry.every((value) => Number.isSafeInteger(value) && (value as number) >= 0);
    if (!valid) throw corrupt(`section ${name} has a bad entry ${JSON.stringify(entry)}`);
  }
  return {
    version: VECTOR_FORMAT_VERSION,
    kind: kind as VectorIndexKind,
    dimension,
    metric: metric as VectorMetric,
    slotCount,
    removedCount,
    params: params as Record<string, unknown>,
    sections: sections as VectorFileHeader["sections"],
  };
}

async function readAll(
  handle: FileHandle,
  into: Uint8Array,
  position: number,
  path: string,
): Promise<void> {
  for (let done = 0; done < into.byteLength;) {
    const length = Math.min(CHUNK_BYTES, into.byteLength - done);
    const { bytesRead } = await handle.read(into, done, length, position + done);
    if (bytesRead === 0) throw corruptFile(path, "file is truncated (ended while reading)");
    done += bytesRead;
  }
}

async function writeAll(handle: FileHandle, from: Uint8Array, position: number): Promise<void> {
  for (let done = 0; done < from.byteLength;) {
    const length = Math.min(CHUNK_BYTES, from.byteLength - done);
    const { bytesWritten } = await handle.write(from, done, length, position + done);
    done += bytesWritten;
  }
}

async function copyFileInto(
  handle: FileHandle,
  source: string,
  byteLength: number,
  position: number,
): Promise<void> {
  const input = await open(source, "r");
  try {
    const buffer = new Uint8Array(Math.min(COPY_BYTES, Math.max(byteLength, 1)));
    for (let done = 0; done < byteLength;) {
      const { bytesRead } = await input.read(
        buffer,
        0,
        Math.min(buffer.byteLength, byteLength - done),
        done,
      );
      if (bytesRead === 0) throw new Error(`${source} is shorter than ${byteLength} bytes`);
      await writeAll(handle, buffer.subarray(0, bytesRead), position + done);
      done += bytesRead;
    }
  } finally {
    await input.close();
  }
}
