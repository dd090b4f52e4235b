/** Slice tables for `pairlift eval`'s Markdown output. */
import { markdownTable } from "../../cli/format.js";
import type { SliceResult } from "./slices.js";

/** One row per slice: its size and each metric; small slices are marked, empty ones dashed. */
export function sliceTable(
  slices: Readonly<Record<string, SliceResult>>,
  metrics: readonly string[],
): string {
  const rows = Object.entries(slices).map(([name, slice]) => [
    name,
    String(slice.queries),
    ...metrics.map((metric) => slice.aggregate[metric]?.toFixed(4) ?? "—"),
    slice.queries === 0 ? "empty" : slice.tooSmall ? "too small to judge" : "",
  ]);
  return markdownTable(["slice", "queries", ...metrics, "note"], rows);
}

interface SlicedReport {
  aggregate: Record<string, number>;
  slices?: Record<string, SliceResult>;
  probe?: {
    dataset: string;
    queries: number;
    aggregate: Record<string, number>;
    slices?: Record<string, SliceResult>;
  };
}

/** The slice table, and the probe set's results when the report has them. */
export function evalSlicesMarkdown(report: SlicedReport): string {
  const metrics = Object.keys(report.aggregate);
  const parts: string[] = [];
  if (report.slices !== undefined) parts.push("### Slices", "", sliceTable(report.slices, metrics));
  const probe = report.probe;
  if (probe !== undefined) {
    parts.push(
      "",
      `### Probe set (${probe.dataset})`,
      "",
      `${probe.queries} exact-match probe queries; tag slices are the variant types.`,
      "",
      sliceTable(
        {
          all: {
            queries: probe.queries,
            queryIds: [],
            aggregate: probe.aggregate,
            tooSmall: false,
          },
          ...(probe.slices ?? {}),
        },
        metrics,
      ),
    );
  }
  return parts.length === 0 ? "" : `\n${parts.join("\n")}\n`;
}
