import { Command } from "commander";
import type { CommandContext } from "../program.js";

export function indexCommand(_ctx: CommandContext): Command {
  return new Command("index").description("TODO");
}
