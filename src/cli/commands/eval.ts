import { Command } from "commander";
import type { CommandContext } from "../program.js";

export function evalCommand(_ctx: CommandContext): Command {
  return new Command("eval").description("TODO");
}
