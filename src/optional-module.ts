/**
 * Packages that only some features need, loaded when a feature first asks for them. The model
 * runtimes (@huggingface/transformers, the USE-lite packages, the GloVe vectors, usearch) are
 * optional peer dependencies: `npm install pairlift` does not fetch them. better-sqlite3 is an
 * optional dependency: installed by default, but a failed native build leaves it out instead of
 * failing the install. Either way a missing package becomes one `E_UNAVAILABLE` error that
 * names the feature and the exact command that installs it, instead of a crash at import time.
 */
import { createRequire } from "node:module";
import { PairliftError } from "./errors.js";

const require = createRequire(import.meta.url);

interface PackageJson {
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

/** What a user may need to know besides the install command. */
const NOTES: Readonly<Record<string, string>> = {
  "better-sqlite3":
    "npm installs it with pairlift unless its native build failed (no prebuilt binary could be downloaded and no C++ toolchain was found)",
  "@huggingface/transformers":
    'on Linux x64 its onnxruntime-node dependency downloads CUDA libraries from api.nuget.org while installing; without that network, add "allowScripts": {"onnxruntime-node": false} to your package.json first',
};

let ranges: Record<string, string> | undefined;

/** The version ranges pairlift declares for its optional packages (from its package.json). */
function declaredRanges(): Record<string, string> {
  if (ranges === undefined) {
    const pkg = require("../package.json") as PackageJson;
    ranges = { ...pkg.optionalDependencies, ...pkg.peerDependencies };
  }
  return ranges;
}

/** `usearch` for `usearch`, `@scope/name` for `@scope/name/package.json`. */
export function packageNameOf(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!;
}

/** The command that installs `packages` at the versions pairlift declares. */
export function installCommand(packages: readonly string[]): string {
  const known = declaredRanges();
  const specs = packages.map((name) => {
    const range = known[name];
    return range === undefined ? name : `"${name}@${range}"`;
  });
  return `npm install ${specs.join(" ")}`;
}

/** Where an optional package is needed: the feature, and every package the fix installs. */
export interface OptionalNeed {
  /** What needs it, as the user knows it: `the hnsw vector index`. */
  purpose: string;
  /** The packages to install together (default: the specifier's package). */
  packages?: readonly string[];
}

function isMissing(error: unknown, name: string): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as NodeJS.ErrnoException).code;
  if (code !== "ERR_MODULE_NOT_FOUND" && code !== "MODULE_NOT_FOUND") return false;
  // Only the package itself: a dependency of it that is missing is a broken install.
  return (
    error.message.includes(`'${name}'`) ||
    error.message.includes(`'${name}/`) ||
    error.message.includes(`"${name}"`)
  );
}

/** The `E_UNAVAILABLE` error for a package that is missing or does not load. */
export function optionalUnavailable(
  specifier: string,
  need: OptionalNeed,
  cause: unknown,
): PairliftError {
  const name = packageNameOf(specifier);
  const packages = need.packages ?? [name];
  const command = installCommand(packages);
  const notes = packages.flatMap((pkg) => (NOTES[pkg] === undefined ? [] : [NOTES[pkg]]));
  const note = notes.length === 0 ? "" : ` (${notes.join("; ")})`;
  if (isMissing(cause, name)) {
    const listed = packages.join(" and ");
    const verb = packages.length === 1 ? "is" : "are";
    return new PairliftError(
      "E_UNAVAILABLE",
      `${need.purpose} needs ${listed}, which ${verb} not installed: run ${command}${note}`,
      {},
      cause,
    );
  }
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new PairliftError(
    "E_UNAVAILABLE",
    `${need.purpose} needs ${name}, which is installed but could not be loaded (${reason}); reinstalling it may help: ${command}${note}`,
    {},
    cause,
  );
}

/** Loads an ES module (or any package) on first use. */
export async function importOptional<T>(specifier: string, need: OptionalNeed): Promise<T> {
  try {
    return (await import(specifier)) as T;
  } catch (error) {
    throw optionalUnavailable(specifier, need, error);
  }
}

/**
 * Loads a CommonJS package synchronously, for code that cannot wait (a constructor). Also the
 * way to read a package's own files, such as `name/package.json`.
 */
export function requireOptional<T>(specifier: string, need: OptionalNeed): T {
  try {
    return require(specifier) as T;
  } catch (error) {
    throw optionalUnavailable(specifier, need, error);
  }
}

/** The path a specifier resolves to, without loading it. */
export function resolveOptional(specifier: string, need: OptionalNeed): string {
  try {
    return require.resolve(specifier);
  } catch (error) {
    throw optionalUnavailable(specifier, need, error);
  }
}
