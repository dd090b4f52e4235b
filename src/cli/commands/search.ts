import { Command } from "commander";
import type { CommandContext } from "../program.js";

export function searchCommand(_ctx: CommandContext): Command {
  return new Command("search").description("TODO");
}
