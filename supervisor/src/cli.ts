#!/usr/bin/env node
// tabagent-server: the command-line entry. Mode "all" runs the supervisor and spawns the ML child;
// "ml" runs the ML service alone; "supervisor" attaches to a running ML service.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CommanderError } from 'commander';
import { createLogger, resolveLogFormat } from '@tabagent/common';
import { startSupervisor, type SupervisorApp } from './app.js';
import { parseConfig } from './config/config.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

async function main(argv: string[]): Promise<void> {
  if (argv.includes('--mode=ml') || argv.some((a, i) => a === '--mode' && argv[i + 1] === 'ml') || process.env['TABAGENT_MODE'] === 'ml') {
    const rest = argv.filter((a, i) => a !== '--mode=ml' && !(a === '--mode' && argv[i + 1] === 'ml') && !(a === 'ml' && argv[i - 1] === '--mode'));
    const mapped = rest.map((a) => (a === '--ml-listen' ? '--listen' : a));
    // Loaded only here: the ML service pulls in onnxruntime, transformers.js, tfjs and sharp, which the
    // supervisor's own process never needs.
    const { mlMain } = await import('@tabagent/ml-service');
    await mlMain(mapped);
    return;
  }
  const config = parseConfig(argv, repoRoot);
  const log = createLogger({ proc: 'supervisor', level: config.logLevel, format: resolveLogFormat(config.logFormat, process.stderr.isTTY) });
  // Signals are handled from the first moment: one arriving during start-up shuts down once started.
  const started: { app?: Promise<SupervisorApp> } = {};
  let signals = 0;
  const onSignal = (sig: string): void => {
    signals += 1;
    if (signals > 1) {
      log.warn({ sig }, 'second signal: exiting now');
      process.exit(1);
    }
    log.info({ sig }, 'signal received');
    void (started.app ?? Promise.reject(new Error('not started'))).then((a) => a.shutdown()).then(() => process.exit(0), (err: unknown) => {
      log.error({ err }, 'shutdown failed');
      process.exit(1);
    });
  };
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  process.on('SIGINT', () => onSignal('SIGINT'));
  started.app = startSupervisor(config, log);
  await started.app;
}

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof CommanderError) process.exit(err.exitCode);
  process.stderr.write(`tabagent-server: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
