import { Command } from "commander";
import { openIndex } from "../../store/index-store.js";
import { positiveInteger } from "../options.js";
import { withPipeline } from "../pipeline-session.js";
import type { CommandContext } from "../program.js";

interface SearchFlags {
  index: string;
  k: number;
  pipeline: string;
  config?: string;
  json: boolean;
  explain: boolean;
}

export function searchCommand(ctx: CommandContext): Command {
  return new Command("search")
    .description(
      "Search an index and print ranked documents (with BM25, the query terms each matched)",
    )
    .argument("<query>", "the query text")
    .requiredOption("--index <dir>", "index directory")
    .option("-k, --k <n>", "number of results", positiveInteger, 10)
    .option(
      "--pipeline <name>",
      "pipeline: bm25, dense:<embedder>, hybrid:<embedder>[+<embedder>…], or one named in the config",
      "bm25",
    )
    .option(
      "--config <file>",
      "config file with embedders (default: pairlift.config.yaml if present)",
    )
    .option("--json", "print JSON", false)
    .option("--explain", "print each matched term's BM25 numbers", false)
    .action(async (query: string, flags: SearchFlags) => {
      const index = await openIndex(flags.index);
      const { hits, timingsMs, degraded } = await withPipeline(
        index,
        flags.pipeline,
        flags.config,
        (pipeline) => pipeline.search(query, flags.k),
      );
      // Which query terms each document holds, whatever the pipeline (BM25's view of the match).
      const results = hits.map((hit, i) => {
        const explanation = index.lexical.explain(query, hit.id);
        return {
          rank: i + 1,
          id: hit.id,
          score: hit.score,
          title: index.documents.get(hit.id)?.title ?? "",
          ...(hit.retrievers === undefined ? {} : { retrievers: hit.retrievers }),
          ...(hit.fused === undefined ? {} : { fused: hit.fused }),
          ...(hit.rerank === undefined ? {} : { rerank: hit.rerank }),
          ...(hit.guard === undefined ? {} : { guard: hit.guard }),
          matched: explanation.terms.map((term) => term.term),
          ...(flags.explain ? { explanation } : {}),
        };
      });
      const tookMs = timingsMs["total"] ?? 0;
      if (flags.json) {
        const terms = Object.fromEntries(index.lexical.queryTerms(query));
        ctx.io.stdout(
          `${JSON.stringify({ query, pipeline: flags.pipeline, terms, tookMs, timingsMs, ...(degraded === undefined ? {} : { degraded }), results }, null, 2)}\n`,
        );
        return;
      }
      if (results.length === 0) {
        ctx.io.stdout(`no documents match ${JSON.stringify(query)}\n`);
        if (degraded !== undefined) ctx.io.stdout(`degraded: ${degraded.message}\n`);
        return;
      }
      for (const result of results) {
        ctx.io.stdout(
          `${String(result.rank).padStart(3)}. ${result.score.toFixed(4)}  ${result.id}  ${result.title}\n`,
        );
        const where = Object.entries(result.retrievers ?? {}).map(
          ([name, position]) => `${name} #${position.rank} (${position.score.toFixed(4)})`,
        );
        if (result.fused !== undefined) where.push(`fused ${result.fused.toFixed(4)}`);
        if (result.rerank !== undefined) where.push(`rerank ${result.rerank.toFixed(4)}`);
        if (where.length > 1 || result.rerank !== undefined)
          ctx.io.stdout(`      ${where.join(" · ")}\n`);
        if (result.guard !== undefined) ctx.io.stdout(`      guard: ${result.guard}\n`);
        if (result.matched.length > 0)
          ctx.io.stdout(`      matched: ${result.matched.join(", ")}\n`);
        if (result.explanation !== undefined) {
          for (const term of result.explanation.terms) {
            ctx.io.stdout(
              `        ${term.term}: ${term.score.toFixed(4)} = qw ${term.queryWeight} · idf ${term.idf.toFixed(4)} (df ${term.documentFrequency}) · tf ${term.tf} / (tf + norm)\n`,
            );
          }
        }
      }
      if (degraded !== undefined) ctx.io.stdout(`degraded: ${degraded.message}\n`);
      const stages = Object.entries(timingsMs)
        .filter(([stage]) => stage !== "total" && stage !== "retrieve")
        .map(([stage, ms]) => `${stage} ${ms.toFixed(2)} ms`)
        .join(", ");
      ctx.io.stdout(`${results.length} results in ${tookMs.toFixed(2)} ms (${stages})\n`);
    });
}
