import type { z } from "zod";
import { PairliftError } from "../errors.js";

/**
 * Turns a zod failure into one PairliftError that lists every problem with its config path
 * (`embedders.minilm.pooling: expected one of mean, cls`).
 */
export function configError(
  error: z.ZodError,
  file: string | undefined,
  prefix: readonly (string | number)[],
): PairliftError {
  const lines = error.issues.map((issue) => {
    const path = [
      ...prefix,
      ...issue.path.map((part) => (typeof part === "symbol" ? String(part) : part)),
    ].join(".");
    return `${path === "" ? "(top level)" : path}: ${issue.message}`;
  });
  const where = file === undefined ? {} : { file };
  return new PairliftError(
    "E_CONFIG",
    `invalid configuration:\n  ${lines.join("\n  ")}`,
    where,
    error,
  );
}

/** Validates `value` with `schema`, throwing a configError naming `prefix` on failure. */
export function parseWith<T>(
  schema: z.ZodType<T>,
  value: unknown,
  file: string | undefined,
  prefix: readonly (string | number)[],
): T {
  const result = schema.safeParse(value);
  if (!result.success) throw configError(result.error, file, prefix);
  return result.data;
}
