import type { PairliftConfig } from "../../config/config-file.js";
import { parseWith } from "../../config/schema-errors.js";
import { PairliftError } from "../../errors.js";
import { cacheDir } from "../../store/cache-dir.js";
import type { Embedder } from "../embedder.js";
import { HOSTED_PROVIDERS } from "./hosted/index.js";
import { onnxProvider } from "./onnx.js";
import type { EmbedderProvider, ProviderContext } from "./provider.js";
import { staticVectorsProvider } from "./static-vectors.js";
import { useLiteProvider } from "./use-lite.js";

type AnyProvider = EmbedderProvider<{ provider: string }>;

/** Every embedding provider pairlift knows, by the `provider` name used in configuration. */
export const EMBEDDER_PROVIDERS: ReadonlyMap<string, AnyProvider> = new Map(
  (
    [
      onnxProvider,
      useLiteProvider,
      staticVectorsProvider,
      ...HOSTED_PROVIDERS,
    ] as unknown as AnyProvider[]
  ).map((provider) => [provider.name, provider]),
);

export function defaultProviderContext(config: PairliftConfig): ProviderContext {
  return { baseDir: config.baseDir, cacheDir: cacheDir(), env: process.env };
}

/** Creates the embedder configured under `embedders.<name>` (or a built-in: `use`, `glove`). */
export async function createEmbedder(
  name: string,
  config: PairliftConfig,
  context: ProviderContext = defaultProviderContext(config),
): Promise<Embedder> {
  const block = Object.hasOwn(config.embedders, name) ? config.embedders[name] : undefined;
  if (block === undefined) {
    const known = Object.keys(config.embedders).join(", ");
    throw new PairliftError(
      "E_CONFIG",
      `no embedder named "${name}"; defined: ${known}${config.file === undefined ? " (no config file was read: pass --config FILE or create pairlift.config.yaml)" : ""}`,
      config.file === undefined
        ? { field: "embedders" }
        : { file: config.file, field: "embedders" },
    );
  }
  const provider = EMBEDDER_PROVIDERS.get(block.provider);
  if (provider === undefined) {
    throw new PairliftError(
      "E_CONFIG",
      `embedders.${name}.provider: unknown provider "${block.provider}"; known: ${[...EMBEDDER_PROVIDERS.keys()].join(", ")}`,
      config.file === undefined ? {} : { file: config.file },
    );
  }
  const parsed = parseWith(provider.schema, block, config.file, ["embedders", name]);
  return provider.create(parsed, context);
}
