import { randomBytes } from "node:crypto";
import { copyFile, link, mkdir, open, readdir, readFile, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { crashPoint } from "../crash-point.js";
import { PairliftError } from "../errors.js";

/**
 * The crash-safe layout of an index directory. The index path is a folder holding `CURRENT`,
 * a small JSON file naming the generation folder (`gen-…`) that holds this state's files, and
 * the previous generation kept for readers that opened it a moment ago. An update writes a
 * whole new generation, fsyncs it, and then replaces `CURRENT` (write a temporary file, fsync,
 * rename over, fsync the folder): at every instant the path names one complete generation, so
 * a crash or `kill -9` anywhere leaves either the old state or the new one, never a mixture
 * and never no index. Generations and staging folders left by dead processes are removed by
 * the next write.
 *
 * Indexes written before this layout hold their files at the top of the folder (the "legacy"
 * layout): they open as they are, and their next write upgrades them.
 */
export const CURRENT_FILE = "CURRENT";
/** The files of a legacy (pre-generation) index directory, removed once it is upgraded. */
const LEGACY_ENTRIES = ["manifest.json", "lexical.bin", "documents.jsonl", "dense"];
const LEGACY_MANIFEST = "manifest.json";
const GENERATION = /^gen-[0-9a-z]+-(\d+)-[0-9a-f]+$/;
/** `.idx.tmp-<pid>-<hex>` and `.idx.tmp-<pid>-<hex>.old`: staging beside the index (old scheme). */
const SIBLING_STAGING = /^\.(.+)\.tmp-(\d+)-[0-9a-f]+(\.old)?$/;
/** `CURRENT.tmp-<pid>-<hex>` and `<dense name>.tmp-<pid>-<hex>` inside an index. */
const TEMPORARY = /\.tmp-(\d+)-[0-9a-f]+$/;
/** Staging left by a live process is kept unless it is this old (its pid was reused). */
const STALE_AFTER_MS = 24 * 60 * 60 * 1000;

interface Pointer {
  generation: string;
  previous: string | null;
}

/** Generation folders this process is writing now: never stale to its own cleanup. */
const writing = new Set<string>();

/**
 * The folder holding the files of the index at `dir`: its current generation, or `dir`
 * itself for a legacy index. Undefined when there is no index there. A legacy index whose swap
 * was killed between its two renames (the path missing, `.<name>.tmp-….old` beside it) is
 * put back first.
 */
export async function locateIndex(dir: string): Promise<string | undefined> {
  const pointer = await readPointer(dir);
  if (pointer !== undefined) return join(dir, pointer.generation);
  if (await exists(join(dir, LEGACY_MANIFEST))) return dir;
  if ((await exists(dir)) || !(await recoverRetired(dir))) return undefined;
  return dir;
}

/**
 * Writes a new state of the index at `dir`: `write` fills a fresh generation folder (its
 * argument), which becomes the index only once complete and synced. If `write` throws, or the
 * process dies at any point, the index stays as it was. Returns the new generation's folder.
 */
export async function commitIndexDir(
  dir: string,
  write: (staging: string) => Promise<void>,
): Promise<string> {
  const existing = await stat(dir).catch(() => undefined);
  if (existing !== undefined && !existing.isDirectory()) {
    throw new PairliftError("E_USAGE", "index path exists and is not a directory", { file: dir });
  }
  if (existing === undefined && !(await recoverRetired(dir))) {
    await mkdir(dir, { recursive: true });
    await syncDirectory(dirname(dir));
  }
  const before = await readPointer(dir);
  await removeStale(dir, before);
  const name = `gen-${Date.now().toString(36)}-${process.pid}-${randomBytes(4).toString("hex")}`;
  const staging = join(dir, name);
  writing.add(name);
  try {
    await mkdir(staging);
    crashPoint("staging-created");
    await write(staging);
    await syncTree(staging);
    crashPoint("staging-synced");
    const pointer: Pointer = { generation: name, previous: before?.generation ?? null };
    await replaceFile(join(dir, CURRENT_FILE), `${JSON.stringify(pointer)}\n`);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  } finally {
    writing.delete(name);
  }
  crashPoint("pointer-replaced");
  await removeStale(dir, await readPointer(dir));
  return staging;
}

/**
 * Replaces a file so that after a crash it holds the old content or the new, complete and on
 * disk: temporary sibling, fsync, rename over, fsync the folder.
 */
async function replaceFile(path: string, data: string): Promise<void> {
  const temporary = `${path}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`;
  try {
    const handle = await open(temporary, "w");
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    crashPoint("pointer-written");
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  await syncDirectory(dirname(path));
}

async function readPointer(dir: string): Promise<Pointer | undefined> {
  const path = join(dir, CURRENT_FILE);
  const text = await readFile(path, "utf8").catch((error: unknown) => {
    if (isCode(error, "ENOENT") || isCode(error, "ENOTDIR")) return undefined;
    throw new PairliftError("E_INDEX_FORMAT", `cannot read ${CURRENT_FILE}`, { file: path }, error);
  });
  if (text === undefined) return undefined;
  let pointer: Partial<Pointer>;
  try {
    pointer = JSON.parse(text) as Partial<Pointer>;
  } catch (error) {
    throw new PairliftError(
      "E_INDEX_FORMAT",
      `${CURRENT_FILE} is not valid JSON: ${String(error)}`,
      { file: path },
      error,
    );
  }
  const valid = (name: unknown): name is string =>
    typeof name === "string" && GENERATION.test(name);
  if (!valid(pointer.generation) || !(pointer.previous === null || valid(pointer.previous))) {
    throw new PairliftError("E_INDEX_FORMAT", `${CURRENT_FILE} does not name a generation folder`, {
      file: path,
    });
  }
  return { generation: pointer.generation, previous: pointer.previous };
}

/**
 * Removes what no reader can reach: generation folders other than the current and previous
 * ones, temporary files and folders of dead processes, the top-level files of a legacy index
 * once a generation has replaced them, and old-scheme staging folders beside the index.
 */
async function removeStale(dir: string, pointer: Pointer | undefined): Promise<void> {
  const keep = new Set([pointer?.generation, pointer?.previous]);
  for (const entry of await readdir(dir)) {
    const path = join(dir, entry);
    const generation = GENERATION.exec(entry);
    if (generation !== null) {
      if (keep.has(entry) || writing.has(entry)) continue;
      const pid = Number(generation[1]);
      if (pid === process.pid || (await abandoned(path, pid)))
        await rm(path, { recursive: true, force: true });
    } else if (pointer !== undefined && LEGACY_ENTRIES.includes(entry)) {
      await rm(path, { recursive: true, force: true });
      crashPoint("legacy-removing");
    } else {
      const temporary = TEMPORARY.exec(entry);
      if (temporary !== null && (await abandoned(path, Number(temporary[1]))))
        await rm(path, { recursive: true, force: true });
    }
  }
  const parent = dirname(dir);
  for (const entry of await readdir(parent).catch(() => [])) {
    const sibling = SIBLING_STAGING.exec(entry);
    if (sibling === null || sibling[1] !== basename(dir)) continue;
    const path = join(parent, entry);
    if (await abandoned(path, Number(sibling[2]))) await rm(path, { recursive: true, force: true });
  }
  const dense = join(pointer === undefined ? dir : join(dir, pointer.generation), "dense");
  for (const entry of await readdir(dense).catch(() => [])) {
    const temporary = TEMPORARY.exec(entry);
    if (temporary !== null && (await abandoned(join(dense, entry), Number(temporary[1]))))
      await rm(join(dense, entry), { recursive: true, force: true });
  }
}

/**
 * An old-scheme swap killed between `rename(index, retired)` and `rename(staging, index)`
 * left no index at the path and the previous one in `.<name>.tmp-<pid>-<hex>.old`: renames
 * the newest such folder of a dead process back. True when it did.
 */
async function recoverRetired(dir: string): Promise<boolean> {
  const parent = dirname(dir);
  const retired: Array<{ path: string; mtime: number }> = [];
  for (const entry of await readdir(parent).catch(() => [])) {
    const sibling = SIBLING_STAGING.exec(entry);
    if (sibling === null || sibling[1] !== basename(dir) || sibling[3] === undefined) continue;
    const path = join(parent, entry);
    // A live writer is between its renames: its next rename puts an index back.
    if (!(await abandoned(path, Number(sibling[2])))) continue;
    if (!(await exists(join(path, LEGACY_MANIFEST)))) continue;
    retired.push({ path, mtime: (await stat(path)).mtimeMs });
  }
  const newest = retired.sort((a, b) => b.mtime - a.mtime)[0];
  if (newest === undefined) return false;
  await rename(newest.path, dir);
  await syncDirectory(parent);
  return true;
}

/** Whether a temporary entry's writer is gone: its pid is not running, or it is a day old. */
async function abandoned(path: string, pid: number): Promise<boolean> {
  if (pid === process.pid) return false;
  if (!processAlive(pid)) return true;
  const info = await stat(path).catch(() => undefined);
  return info !== undefined && Date.now() - info.mtimeMs > STALE_AFTER_MS;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return isCode(error, "EPERM");
  }
}

/** fsyncs every file and folder under `root` (and `root`), so a power cut keeps them. */
export async function syncTree(root: string): Promise<void> {
  for (const entry of await readdir(root, { withFileTypes: true })) {
    const path = join(root, entry.name);
    if (entry.isDirectory()) await syncTree(path);
    else if (entry.isFile()) await syncFile(path);
  }
  await syncDirectory(root);
}

async function syncFile(path: string): Promise<void> {
  const handle = await open(path, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** fsyncs a folder (its entries); platforms that cannot (Windows) skip it. */
async function syncDirectory(path: string): Promise<void> {
  let handle;
  try {
    handle = await open(path, "r");
    await handle.sync();
  } catch (error) {
    if (!isCode(error, "EISDIR") && !isCode(error, "EPERM") && !isCode(error, "EINVAL"))
      throw error;
  } finally {
    await handle?.close();
  }
}

/**
 * Places a copy of the tree `from` at `to` by hard links (the files of an index are never
 * changed in place, so generations may share them), copying where links are not possible.
 */
export async function linkTree(from: string, to: string): Promise<void> {
  await mkdir(to, { recursive: true });
  for (const entry of await readdir(from, { withFileTypes: true })) {
    const source = join(from, entry.name);
    const target = join(to, entry.name);
    if (entry.isDirectory()) await linkTree(source, target);
    else if (entry.isFile()) await link(source, target).catch(() => copyFile(source, target));
  }
}

async function exists(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined)) !== undefined;
}

function isCode(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code;
}
