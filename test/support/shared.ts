import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** ../shared beside the repository: real BEIR data and trec_eval fixtures, present in CI, absent in a fresh clone. */
export const SHARED_DIR = fileURLToPath(new URL("../../../shared/", import.meta.url));

export function sharedPath(relative: string): { path: string; present: boolean } {
  const path = `${SHARED_DIR}${relative}`;
  const present = existsSync(path);
  if (!present)
    console.warn(`skipping tests that need ${path}: ../shared is absent in this checkout`);
  return { path, present };
}
