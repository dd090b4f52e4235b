import { readFile } from "node:fs/promises";
import { dirname, extname, resolve } from "node:path";
import { parse as parseYaml, YAMLParseError } from "yaml";
import { z } from "zod";
import { PairliftError } from "../errors.js";
import { FIELD_ROLES, withFieldSpecs, type FieldRole, type FieldSpec } from "../lexical/options.js";
import { pipelineConfigSchema, type PipelineConfig } from "../pipeline/config.js";
import { parseWith } from "./schema-errors.js";

/** The config file read when `--config` is not given, from the working directory. */
export const DEFAULT_CONFIG_FILE = "pairlift.config.yaml";

/** Embedders every config has, unless it redefines the name. */
export const BUILTIN_EMBEDDERS: Readonly<Record<string, Readonly<Record<string, unknown>>>> =
  Object.freeze({
    use: Object.freeze({ provider: "use-lite" }),
    glove: Object.freeze({ provider: "static", vectors: "glove-6b-100d" }),
  });

const NAME = /^[A-Za-z][\w.-]*$/;

const nameSchema = z
  .string()
  .regex(NAME, "names start with a letter and hold letters, digits, _ . -");

const fileSchema = z
  .object({
    embedders: z.record(nameSchema, z.looseObject({ provider: z.string() })).optional(),
    rerankers: z.record(nameSchema, z.looseObject({ provider: z.string() })).optional(),
    pipelines: z.record(nameSchema, pipelineConfigSchema).optional(),
    /** Index fields over the default title and text (lexical/options.ts FieldSpec). */
    fields: z
      .array(
        z.strictObject({
          name: z.string().min(1),
          role: z.enum(FIELD_ROLES as [FieldRole, ...FieldRole[]]).optional(),
          weight: z.number().min(0).optional(),
          b: z.number().min(0).max(1).optional(),
        }),
      )
      .optional(),
    // Sections owned by other commands, validated by them (they name their own paths).
    gate: z.unknown().optional(),
    serve: z.unknown().optional(),
    lab: z.unknown().optional(),
  })
  .strict();

/** Sections of the config file that one command reads and validates itself. */
export type ConfigSectionName = "gate" | "serve" | "lab";

export interface PairliftConfig {
  /** The file it came from; undefined when no file was read. */
  file: string | undefined;
  /** Relative paths inside the config resolve against this directory. */
  baseDir: string;
  /** Embedder blocks by name (built-ins included), each still to be validated by its provider. */
  embedders: Record<string, Record<string, unknown> & { provider: string }>;
  /** Reranker blocks by name, each still to be validated by its provider. */
  rerankers: Record<string, Record<string, unknown> & { provider: string }>;
  /** Named pipelines, validated. */
  pipelines: Record<string, PipelineConfig>;
  /**
   * The index fields the config names (`fields:`), over the default title and text; undefined
   * when it names none (then fields named sku, mpn, … are found in the corpus).
   */
  fields?: FieldSpec[];
  /** Raw sections for commands that validate their own (`gate`, `serve`, `lab`). */
  sections: Partial<Record<ConfigSectionName, unknown>>;
}

/**
 * Loads a YAML or JSON config file: `path` when given (it must exist), else
 * `pairlift.config.yaml` in the working directory when present, else the built-ins only.
 */
export async function loadConfig(path?: string): Promise<PairliftConfig> {
  const file = path === undefined ? resolve(DEFAULT_CONFIG_FILE) : resolve(path);
  let text: string | undefined;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if (path !== undefined)
      throw new PairliftError("E_NOT_FOUND", "config file not found", { file: path }, error);
  }
  if (text === undefined)
    return {
      file: undefined,
      baseDir: process.cwd(),
      embedders: { ...builtins() },
      rerankers: {},
      pipelines: {},
      sections: {},
    };
  const raw = parseConfigText(text, file);
  const parsed = parseWith(fileSchema, raw ?? {}, file, []);
  return {
    file,
    baseDir: dirname(file),
    embedders: { ...builtins(), ...(parsed.embedders ?? {}) },
    rerankers: { ...(parsed.rerankers ?? {}) },
    pipelines: { ...(parsed.pipelines ?? {}) },
    ...(parsed.fields === undefined
      ? {}
      : {
          fields: withFieldSpecs(
            parsed.fields.map((field) => ({
              name: field.name,
              weight: field.weight ?? 1,
              ...(field.role === undefined ? {} : { role: field.role }),
              ...(field.b === undefined ? {} : { b: field.b }),
            })),
          ),
        }),
    sections: Object.fromEntries(
      (["gate", "serve", "lab"] as const)
        .filter((name) => parsed[name] !== undefined)
        .map((name) => [name, parsed[name]]),
    ),
  };
}

function builtins(): PairliftConfig["embedders"] {
  return Object.fromEntries(
    Object.entries(BUILTIN_EMBEDDERS).map(([name, block]) => [
      name,
      { ...block } as Record<string, unknown> & { provider: string },
    ]),
  );
}

function parseConfigText(text: string, file: string): unknown {
  if (extname(file).toLowerCase() === ".json") {
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw new PairliftError("E_PARSE", `malformed JSON: ${String(error)}`, { file }, error);
    }
  }
  try {
    return parseYaml(text) as unknown;
  } catch (error) {
    if (error instanceof YAMLParseError) {
      const line = error.linePos?.[0]?.line;
      const message = error.message.split("\n")[0] ?? error.message;
      throw new PairliftError(
        "E_PARSE",
        `malformed YAML: ${message}`,
        line === undefined ? { file } : { file, line },
        error,
      );
    }
    throw error;
  }
}
