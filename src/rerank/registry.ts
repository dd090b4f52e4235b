import type { PairliftConfig } from "../config/config-file.js";
import { parseWith } from "../config/schema-errors.js";
import { defaultProviderContext } from "../dense/embedders/registry.js";
import { PairliftError } from "../errors.js";
import { HOSTED_RERANKER_PROVIDERS } from "./hosted/index.js";
import { learnedProvider } from "./learned/learned.js";
import { crossEncoderProvider } from "./providers/cross-encoder.js";
import type { ProviderContext, RerankerProvider } from "./provider.js";
import type { Reranker } from "./reranker.js";

type AnyProvider = RerankerProvider<{ provider: string }>;

/** Every reranker provider pairlift knows, by the `provider` name used in configuration. */
export const RERANKER_PROVIDERS: ReadonlyMap<string, AnyProvider> = new Map(
  (
    [
      crossEncoderProvider,
      learnedProvider,
      ...HOSTED_RERANKER_PROVIDERS,
    ] as unknown as AnyProvider[]
  ).map((provider) => [provider.name, provider]),
);

/** Creates the reranker configured under `rerankers.<name>`. */
export async function createReranker(
  name: string,
  config: PairliftConfig,
  context: ProviderContext = defaultProviderContext(config),
): Promise<Reranker> {
  const block = Object.hasOwn(config.rerankers, name) ? config.rerankers[name] : undefined;
  if (block === undefined) {
    const known = Object.keys(config.rerankers);
    throw new PairliftError(
      "E_CONFIG",
      `no reranker named "${name}"; ${known.length === 0 ? "the config defines none" : `defined: ${known.join(", ")}`}`,
      config.file === undefined
        ? { field: "rerankers" }
        : { file: config.file, field: "rerankers" },
    );
  }
  const provider = RERANKER_PROVIDERS.get(block.provider);
  if (provider === undefined) {
    throw new PairliftError(
      "E_CONFIG",
      `rerankers.${name}.provider: unknown provider "${block.provider}"; known: ${[...RERANKER_PROVIDERS.keys()].join(", ")}`,
      config.file === undefined ? {} : { file: config.file },
    );
  }
  return provider.create(
    parseWith(provider.schema, block, config.file, ["rerankers", name]),
    context,
  );
}
