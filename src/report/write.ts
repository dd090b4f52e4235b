/** Writes the lab's three reports side by side: report.html, report.md, report.json. */
import { join, resolve } from "node:path";
import { writeFileAtomic } from "../io/atomic-write.js";
import type { LabReport } from "../lab/sweep/analyze.js";
import { labReportHtml } from "./html.js";
import { labReportMarkdown } from "./markdown.js";

export interface WrittenReports {
  html: string;
  markdown: string;
  json: string;
}

/** The JSON report: the whole LabReport (per-query values stay in results.jsonl). */
export function labReportJson(report: LabReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

export async function writeLabReports(report: LabReport, dir: string): Promise<WrittenReports> {
  const paths: WrittenReports = {
    html: resolve(join(dir, "report.html")),
    markdown: resolve(join(dir, "report.md")),
    json: resolve(join(dir, "report.json")),
  };
  await writeFileAtomic(paths.json, labReportJson(report));
  await writeFileAtomic(paths.markdown, labReportMarkdown(report));
  await writeFileAtomic(paths.html, await labReportHtml(report));
  return paths;
}
