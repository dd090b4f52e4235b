import { join } from "node:path";
import type { CorpusSource } from "../io/corpus.js";
import { detectCorpusFormat } from "../io/corpus.js";
import { LEXICAL_FORMAT_VERSION } from "../lexical/format.js";
import { resolveLexicalOptions, type LexicalIndexOptionsInput } from "../lexical/options.js";
import { cacheDir } from "./cache-dir.js";
import { sha256File, sha256Text } from "./hash.js";
import {
  INDEX_DIR_FORMAT,
  buildIndex,
  indexExists,
  openIndex,
  type BuildStats,
  type OpenIndex,
} from "./index-store.js";

/**
 * Reuses an index built earlier for the same corpus bytes and index configuration: the cache
 * key is the SHA-256 of the corpus file, the resolved options and the format versions.
 */
export async function cachedIndex(options: {
  source: CorpusSource;
  lexical?: LexicalIndexOptionsInput;
  root?: string;
  onProgress?: (documentsDone: number) => void;
}): Promise<{ index: OpenIndex; reused: boolean; stats?: BuildStats }> {
  const { file } = await detectCorpusFormat(options.source.path);
  const corpusSha256 = await sha256File(file);
  const key = sha256Text(
    JSON.stringify({
      corpusSha256,
      format: options.source.format ?? null,
      fields: options.source.fields ?? null,
      lexical: resolveLexicalOptions(options.lexical),
      // Without fields, buildIndex adds the identifier fields it finds in the corpus: an index
      // with title and text given explicitly is another index.
      detectIdentifierFields: options.lexical?.fields === undefined,
      versions: [INDEX_DIR_FORMAT, LEXICAL_FORMAT_VERSION],
    }),
  ).slice(0, 24);
  const dir = join(options.root ?? cacheDir("indexes"), key);
  if (await indexExists(dir)) {
    return { index: await openIndex(dir), reused: true };
  }
  const built = await buildIndex({
    source: options.source,
    dir,
    corpusSha256,
    ...(options.lexical === undefined ? {} : { lexical: options.lexical }),
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
  });
  return { index: built.index, reused: false, stats: built.stats };
}
