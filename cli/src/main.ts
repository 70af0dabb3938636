#!/usr/bin/env node
// `tabagent`: parses the command line, runs the command and maps failures to exit codes
// (0 ok, 1 server error, 2 usage).
import { CommanderError } from 'commander';
import { Context } from './context.js';
import { describeError, EXIT_OK, EXIT_SERVER, EXIT_USAGE, UsageError } from './exit.js';
import { buildProgram, type Io } from './program.js';

/** Runs the CLI with `argv` (without node and script); resolves with the exit code. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  let code = EXIT_OK;
  const program = buildProgram(io, async (fn, options) => {
    const ctx = new Context(options);
    try {
      await fn(ctx);
    } catch (err) {
      if (err instanceof UsageError) {
        io.err(`error: ${err.message}`);
        if (err.usage) io.err(`Usage: ${err.usage}`);
        code = EXIT_USAGE;
      } else {
        io.err(`error: ${describeError(err)}`);
        code = EXIT_SERVER;
      }
    } finally {
      ctx.close();
    }
  });
  if (argv.length === 0) {
    program.outputHelp({ error: true });
    return EXIT_USAGE;
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help asked for (--help, `help`) is a success; help shown because a subcommand is missing is a usage error.
      if (err.exitCode === 0) return EXIT_OK;
      if (err.code === 'commander.help') io.err('error: missing command (the commands are listed above)');
      return EXIT_USAGE;
    }
    io.err(`error: ${describeError(err)}`);
    return EXIT_SERVER;
  }
  return code;
}

const io: Io = { out: (t) => process.stdout.write(`${t}\n`), err: (t) => process.stderr.write(`${t}\n`) };
process.exitCode = await main(process.argv.slice(2), io);
