import { Command } from "commander";
import { openIndex } from "../../store/index-store.js";
import { positiveInteger } from "../options.js";
import type { CommandContext } from "../program.js";

interface SearchFlags {
  index: string;
  k: number;
  json: boolean;
  explain: boolean;
}

export function searchCommand(ctx: CommandContext): Command {
  return new Command("search")
    .description(
      "Search an index with BM25 and print ranked documents with the query terms they matched",
    )
    .argument("<query>", "the query text")
    .requiredOption("--index <dir>", "index directory")
    .option("-k, --k <n>", "number of results", positiveInteger, 10)
    .option("--json", "print JSON", false)
    .option("--explain", "print each matched term's BM25 numbers", false)
    .action(async (query: string, flags: SearchFlags) => {
      const index = await openIndex(flags.index);
      const started = performance.now();
      const hits = index.lexical.search(query, { k: flags.k });
      const elapsedMs = performance.now() - started;
      const results = hits.map((hit, i) => {
        const explanation = index.lexical.explain(query, hit.id);
        return {
          rank: i + 1,
          id: hit.id,
          score: hit.score,
          title: index.documents.get(hit.id)?.title ?? "",
          matched: explanation.terms.map((term) => term.term),
          ...(flags.explain ? { explanation } : {}),
        };
      });
      if (flags.json) {
        const terms = Object.fromEntries(index.lexical.queryTerms(query));
        ctx.io.stdout(`${JSON.stringify({ query, terms, tookMs: elapsedMs, results }, null, 2)}\n`);
        return;
      }
      if (results.length === 0) {
        ctx.io.stdout(`no documents match ${JSON.stringify(query)}\n`);
        return;
      }
      for (const result of results) {
        ctx.io.stdout(
          `${String(result.rank).padStart(3)}. ${result.score.toFixed(4)}  ${result.id}  ${result.title}\n`,
        );
        ctx.io.stdout(`      matched: ${result.matched.join(", ")}\n`);
        if (result.explanation !== undefined) {
          for (const term of result.explanation.terms) {
            ctx.io.stdout(
              `        ${term.term}: ${term.score.toFixed(4)} = qw ${term.queryWeight} · idf ${term.idf.toFixed(4)} (df ${term.documentFrequency}) · tf ${term.tf} / (tf + norm)\n`,
            );
          }
        }
      }
      ctx.io.stdout(`${results.length} results in ${elapsedMs.toFixed(2)} ms\n`);
    });
}
