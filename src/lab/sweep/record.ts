/**
 * The reproducibility record: everything needed to rerun a sweep and get the same numbers — the
 * resolved settings, the seeds, pairlift's and Node's versions, each embedder's and reranker's
 * configuration (and, once loaded, its identity), and the SHA-256 of every data file read.
 *
 * Its fingerprint (a hash over what decides a configuration's results) keys resumption: results
 * measured under another fingerprint are never reused. Settings that only decide how results
 * are judged (baseline, budget, ceiling, prices, gate) are left out of it, so changing them
 * re-judges finished results without rerunning them.
 */
import { existsSync } from "node:fs";
import os from "node:os";
import { isAbsolute, join, resolve } from "node:path";
import type { PairliftConfig } from "../../config/config-file.js";
import { beirPaths } from "../../io/beir.js";
import { sha256File, sha256Text } from "../../store/hash.js";
import { VERSION } from "../../version.js";
import { DEFAULT_SEED as COMPARE_SEED } from "../../eval/compare/paired.js";
import { JUDGED_METRIC } from "../../eval/judged-report.js";
import { LEARNED_RERANKER, type LabSettings } from "../lab-config.js";
import type { LabConfiguration } from "./grid.js";

export const RECORD_FORMAT = "pairlift-lab-record";

export interface ReproducibilityRecord {
  format: typeof RECORD_FORMAT;
  pairlift: string;
  node: string;
  machine: { cpu: string; cores: number; os: string };
  startedAt: string;
  /** The command line, when run from the CLI. */
  command: string | undefined;
  configFile: { path: string; sha256: string } | undefined;
  settings: LabSettings;
  seeds: { lab: number; tuneFusion: number; trainReranker: number; compare: number };
  /** SHA-256 of every data file, by path. */
  files: Record<string, string>;
  /** Configuration blocks of the embedders and rerankers the grid uses, and identities once known. */
  models: {
    embedders: Record<string, { config: Record<string, unknown>; identity?: unknown }>;
    rerankers: Record<string, { config: Record<string, unknown>; identity?: unknown }>;
  };
  grid: string[];
  fingerprint: string;
}

export async function buildRecord(options: {
  settings: LabSettings;
  config: PairliftConfig;
  configurations: readonly LabConfiguration[];
  command?: string;
}): Promise<ReproducibilityRecord> {
  const { settings, config, configurations } = options;
  const files: Record<string, string> = {};
  const hash = async (path: string): Promise<void> => {
    if (existsSync(path)) files[path] = await sha256File(path);
  };
  const dataset = beirPaths(settings.dataset);
  await hash(dataset.corpus);
  await hash(dataset.queries);
  await hash(dataset.qrels(settings.split));
  if (settings.trainSplit !== null) await hash(dataset.qrels(settings.trainSplit));
  if (settings.probe !== undefined) {
    const probe = beirPaths(settings.probe);
    await hash(join(settings.probe, "probe.json"));
    await hash(probe.queries);
    await hash(probe.qrels("test"));
  }
  if (settings.slices !== undefined) await hash(settings.slices);
  for (const configuration of configurations)
    if (configuration.fusion?.kind === "file")
      await hash(resolveAgainst(config.baseDir, configuration.fusion.file));

  const embedders: ReproducibilityRecord["models"]["embedders"] = {};
  const rerankers: ReproducibilityRecord["models"]["rerankers"] = {};
  for (const configuration of configurations) {
    for (const name of configuration.firstStage.embedders)
      embedders[name] = { config: { ...config.embedders[name]! } };
    const reranker = configuration.reranker;
    if (reranker === undefined) continue;
    const block = Object.hasOwn(config.rerankers, reranker)
      ? config.rerankers[reranker]
      : undefined;
    if (block !== undefined) {
      rerankers[reranker] = { config: { ...block } };
      // A learned model is one JSON file; ONNX folders carry their revision in the identity.
      if (typeof block["model"] === "string" && block["model"].endsWith(".json"))
        await hash(resolveAgainst(config.baseDir, block["model"]));
    } else if (reranker === LEARNED_RERANKER) {
      rerankers[reranker] = {
        config: { provider: "learned", trainedOn: settings.trainSplit },
      };
    }
  }
  const seeds = {
    lab: settings.seed,
    tuneFusion: settings.seed,
    trainReranker: settings.seed,
    compare: COMPARE_SEED,
  };
  const cpus = os.cpus();
  const fingerprint = sha256Text(
    JSON.stringify({
      pairlift: VERSION,
      files,
      models: { embedders, rerankers },
      measure: {
        split: settings.split,
        trainSplit: settings.trainSplit,
        metrics: settings.metrics,
        k: settings.k,
        warmup: settings.warmup,
        maxQueries: settings.maxQueries ?? null,
        seed: settings.seed,
        minSliceQueries: settings.minSliceQueries ?? null,
        // Results measured before judged@10 was reported lack it: measure them again.
        judged: JUDGED_METRIC,
      },
    }),
  );
  return {
    format: RECORD_FORMAT,
    pairlift: VERSION,
    node: process.version,
    machine: {
      cpu: cpus[0]?.model.trim() ?? "unknown CPU",
      cores: cpus.length,
      os: `${os.type()} ${os.release()} ${os.arch()}`,
    },
    startedAt: new Date().toISOString(),
    command: options.command,
    configFile:
      config.file === undefined
        ? undefined
        : { path: config.file, sha256: await sha256File(config.file) },
    settings,
    seeds,
    files,
    models: { embedders, rerankers },
    grid: configurations.map((c) => c.id),
    fingerprint,
  };
}

/** The results key of one configuration under a fingerprint. */
export function resultKey(fingerprint: string, id: string): string {
  return sha256Text(`${fingerprint}\n${id}`).slice(0, 32);
}

export function resolveAgainst(baseDir: string, path: string): string {
  return isAbsolute(path) ? path : resolve(baseDir, path);
}
