import { Command } from "commander";
import type { CommandContext } from "../program.js";

export function trecEvalCommand(_ctx: CommandContext): Command {
  return new Command("trec-eval").description("TODO");
}
