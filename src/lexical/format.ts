import { readFile } from "node:fs/promises";
import { writeFileAtomic } from "../io/atomic-write.js";
import { PairliftError } from "../errors.js";
import { LexicalIndex } from "./lexical-index.js";
import { resolveLexicalOptions, type LexicalIndexOptions } from "./options.js";
import { PostingDictionary } from "./posting-dictionary.js";

/**
 * On-disk lexical index, version 2 (version 1, the same layout before fields had roles and
 * their own b, still opens: its fields are all `text`). Little-endian; every binary section starts on an 8-byte
 * boundary so it loads as a typed-array view on the file buffer, without copying or decoding:
 *
 *   "PLLEXIDX" | u32 version | u32 header length | header JSON | sections…
 *
 * The header holds the options, counts and each section's [offset, byteLength]. Sections:
 * ids (JSON array), terms (JSON array, in posting order), fieldLengths.<f> (u32 per doc),
 * postingStarts (u32 per term + 1), postingDocs (u32), postingTf.<f> (u16).
 */
const MAGIC = "PLLEXIDX";
export const LEXICAL_FORMAT_VERSION = 2;
/** Versions this code opens. */
const READABLE_VERSIONS: readonly number[] = [1, 2];

interface Header {
  version: number;
  options: LexicalIndexOptions;
  documentCount: number;
  termCount: number;
  postingCount: number;
  sections: Record<string, [offset: number, byteLength: number]>;
}

export async function saveLexicalIndex(index: LexicalIndex, path: string): Promise<number> {
  const parts = index.toParts();
  const entries = parts.terms.entries();
  const terms = entries.map(([term]) => term);
  const lists = entries.map(([, list]) => list);
  const postingCount = lists.reduce((sum, list) => sum + list.length, 0);
  const starts = new Uint32Array(terms.length + 1);
  const docs = new Uint32Array(postingCount);
  const tf = parts.options.fields.map(() => new Uint16Array(postingCount));
  let at = 0;
  lists.forEach((list, t) => {
    starts[t] = at;
    docs.set(list.docs.subarray(0, list.length), at);
    tf.forEach((field, f) => field.set(list.tf[f]!.subarray(0, list.length), at));
    at += list.length;
  });
  starts[terms.length] = at;

  const encoder = new TextEncoder();
  const blobs: Array<[string, Uint8Array]> = [
    ["ids", encoder.encode(JSON.stringify(parts.ids))],
    ["terms", encoder.encode(JSON.stringify(terms))],
    ...parts.fieldLengths.map((lengths, f): [string, Uint8Array] => [
      `fieldLengths.${f}`,
      bytes(lengths),
    ]),
    ["postingStarts", bytes(starts)],
    ["postingDocs", bytes(docs)],
    ...tf.map((field, f): [string, Uint8Array] => [`postingTf.${f}`, bytes(field)]),
  ];
  const sections: Header["sections"] = {};
  let offset = 0;
  for (const [name, blob] of blobs) {
    sections[name] = [offset, blob.byteLength];
    offset = align8(offset + blob.byteLength);
  }
  const header: Header = {
    version: LEXICAL_FORMAT_VERSION,
    options: parts.options,
    documentCount: parts.ids.length,
    termCount: terms.length,
    postingCount,
    sections,
  };
  const headerBytes = encoder.encode(JSON.stringify(header));
  const base = align8(16 + headerBytes.byteLength);
  const file = new Uint8Array(base + offset);
  file.set(encoder.encode(MAGIC), 0);
  const view = new DataView(file.buffer);
  view.setUint32(8, LEXICAL_FORMAT_VERSION, true);
  view.setUint32(12, headerBytes.byteLength, true);
  file.set(headerBytes, 16);
  for (const [name, blob] of blobs) file.set(blob, base + sections[name]![0]);
  await writeFileAtomic(path, file);
  return file.byteLength;
}

export async function loadLexicalIndex(path: string): Promise<LexicalIndex> {
  const buffer = await readFile(path).catch((error: unknown) => {
    throw new PairliftError("E_NOT_FOUND", "lexical index not found", { file: path }, error);
  });
  // Typed-array views need aligned offsets; Node may hand back a pooled, unaligned buffer.
  const file = buffer.byteOffset % 8 === 0 ? buffer : Buffer.from(buffer);
  const corrupt = (why: string): PairliftError =>
    new PairliftError("E_INDEX_FORMAT", `not a readable pairlift lexical index: ${why}`, {
      file: path,
    });
  if (file.byteLength < 16 || file.toString("latin1", 0, 8) !== MAGIC)
    throw corrupt("bad magic bytes");
  const version = file.readUInt32LE(8);
  if (!READABLE_VERSIONS.includes(version)) {
    throw new PairliftError(
      "E_INDEX_FORMAT",
      `lexical index format version ${version} is not supported (this pairlift reads versions ${READABLE_VERSIONS.join(" and ")}); rebuild it with \`pairlift index\``,
      { file: path },
    );
  }
  const headerLength = file.readUInt32LE(12);
  let header: Header;
  try {
    header = JSON.parse(file.toString("utf8", 16, 16 + headerLength)) as Header;
  } catch (error) {
    throw corrupt(`header is not JSON (${String(error)})`);
  }
  const base = align8(16 + headerLength);
  const section = (name: string): { offset: number; byteLength: number } => {
    const entry = header.sections[name];
    if (entry === undefined) throw corrupt(`section ${name} missing`);
    const [offset, byteLength] = entry;
    if (base + offset + byteLength > file.byteLength) throw corrupt(`section ${name} is truncated`);
    return { offset: file.byteOffset + base + offset, byteLength };
  };
  const u32 = (name: string): Uint32Array => {
    const { offset, byteLength } = section(name);
    return new Uint32Array(file.buffer, offset, byteLength / 4);
  };
  const u16 = (name: string): Uint16Array => {
    const { offset, byteLength } = section(name);
    return new Uint16Array(file.buffer, offset, byteLength / 2);
  };
  const json = (name: string): string[] => {
    const { offset, byteLength } = section(name);
    return JSON.parse(Buffer.from(file.buffer, offset, byteLength).toString("utf8")) as string[];
  };
  let options: LexicalIndexOptions;
  try {
    options = resolveLexicalOptions(header.options);
  } catch (error) {
    throw corrupt(
      `header options are invalid (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  const fieldCount = options.fields.length;
  const ids = json("ids");
  const terms = json("terms");
  const starts = u32("postingStarts");
  const docs = u32("postingDocs");
  const tf = Array.from({ length: fieldCount }, (_, f) => u16(`postingTf.${f}`));
  if (
    ids.length !== header.documentCount ||
    terms.length !== header.termCount ||
    starts.length !== terms.length + 1
  ) {
    throw corrupt("section sizes disagree with the header");
  }
  return LexicalIndex.fromParts({
    options,
    ids,
    fieldLengths: Array.from({ length: fieldCount }, (_, f) => u32(`fieldLengths.${f}`)),
    terms: PostingDictionary.fromPacked({ terms, starts, docs, tf }),
  });
}

function bytes(array: Uint32Array | Uint16Array): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

function align8(value: number): number {
  return (value + 7) & ~7;
}
