import { Command, CommanderError } from "commander";
import { isPairliftError, PairliftError } from "../errors.js";
import { VERSION } from "../version.js";
import { type CliIO, processIO } from "./io.js";
import { cacheCommand } from "./commands/cache.js";
import { compareCommand } from "./commands/compare.js";
import { evalCommand } from "./commands/eval.js";
import { indexCommand } from "./commands/index.js";
import { probeCommand } from "./commands/probe.js";
import { searchCommand } from "./commands/search.js";
import { serveCommand } from "./commands/serve.js";
import { feedbackCommand } from "./commands/feedback.js";
import { trecEvalCommand } from "./commands/trec-eval.js";
import { trainRerankerCommand } from "./commands/train-reranker.js";
import { tuneFusionCommand } from "./commands/tune-fusion.js";
import { labCommand } from "./commands/lab.js";

/** Exit codes, documented in README.md for CI use. */
/** `regression`: `pairlift compare --gate` found B worse than A. */
export const EXIT = Object.freeze({ ok: 0, error: 1, usage: 2, regression: 3 });

/** What every command receives: where to write, and a way to set a non-zero exit code. */
export interface CommandContext {
  io: CliIO;
  setExitCode: (code: number) => void;
}

export type CommandFactory = (ctx: CommandContext) => Command;

const COMMANDS: readonly CommandFactory[] = [
  indexCommand,
  searchCommand,
  evalCommand,
  trecEvalCommand,
  cacheCommand,
  compareCommand,
  probeCommand,
  trainRerankerCommand,
  tuneFusionCommand,
  labCommand,
  serveCommand,
  feedbackCommand,
];

/** Runs the CLI on argv (without node and script) and resolves to the exit code. */
export async function runCli(argv: readonly string[], io: CliIO = processIO): Promise<number> {
  let exitCode: number = EXIT.ok;
  const ctx: CommandContext = { io, setExitCode: (code) => void (exitCode = code) };
  const program = new Command("pairlift")
    .description("Identifier-aware retrieval engine and evaluation lab")
    .version(VERSION)
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  for (const factory of COMMANDS) program.addCommand(factory(ctx));
  // Every command, subcommands included, reports through io and never exits the process itself.
  const configure = (command: Command): void => {
    command.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
    command.commands.forEach(configure);
  };
  configure(program);
  try {
    await program.parseAsync([...argv], { from: "user" });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version "errors" are normal exits.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    const reported = isPairliftError(error) ? error : fromSystemError(error);
    if (reported !== undefined) {
      io.stderr(`pairlift: error [${reported.code}]: ${reported.message}\n`);
      return reported.code === "E_USAGE" ? EXIT.usage : EXIT.error;
    }
    throw error;
  }
}

/**
 * A Node system error (a file that vanished, a folder that cannot be written) that no command
 * turned into a PairliftError: reported with its path and reason instead of a stack trace.
 */
export function fromSystemError(error: unknown): PairliftError | undefined {
  if (!(error instanceof Error)) return undefined;
  const { code, path, syscall } = error as NodeJS.ErrnoException;
  if (code === undefined || syscall === undefined) return undefined;
  // Node's message is "CODE: reason, syscall 'path'"; the path goes first instead.
  const reason = /^[A-Z]+: ([^,]+)/u.exec(error.message)?.[1] ?? error.message;
  const what = `${reason} (${syscall})`;
  const where = path === undefined ? {} : { file: path };
  const missing = code === "ENOENT" || code === "ENOTDIR";
  return new PairliftError(missing ? "E_NOT_FOUND" : "E_UNAVAILABLE", what, where, error);
}
