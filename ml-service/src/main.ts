// Entry of the ML child: parse flags, read the per-spawn secret, serve, report the bound address
// on stdout as one JSON line, and exit when the parent goes away or on SIGTERM.
import { createLogger, formatListening, resolveLogFormat } from '@tabagent/common';
import { parseMlArgs, ML_HELP, type MlConfig } from './args.js';
import { ModelFilesClient } from './files/model-files-client.js';
import { watchParent } from './parent-watch.js';
import { readSecretLine } from './read-secret.js';
import { runtimeLoaders } from './loaders.js';
import { LoadedModels } from './runtime/loaded-models.js';
import { startMlServer } from './server.js';

/** Environment variable with the secret shared with an attaching supervisor. */
export const ML_SECRET_ENV = 'TABAGENT_ML_SECRET';

/** How long a stop may take after its drain before the process exits regardless. */
const EXIT_WATCHDOG_MS = 1_000;

/** Runs the child until it is told to stop. Resolves with the exit code. */
export async function runMl(config: MlConfig): Promise<void> {
  const log = createLogger({ proc: 'ml', level: config.logLevel, format: resolveLogFormat(config.logFormat, process.stderr.isTTY) });
  // Spawned children get a per-spawn secret on stdin; a service started on its own (`--mode ml`)
  // shares one with its supervisor through the environment.
  // Without one, any local process could call Runtime, Vision and Text: refuse to start instead.
  const secret = config.secretFromStdin ? await readSecretLine() : (process.env[ML_SECRET_ENV] ?? '');
  if (!secret) {
    throw new Error(config.secretFromStdin
      ? 'the internal secret line on stdin is empty'
      : `no internal secret: set ${ML_SECRET_ENV} (the same value as the supervisor that attaches)`);
  }
  const files = config.filesEndpoint ? new ModelFilesClient(config.filesEndpoint, secret) : undefined;
  const loadedModels = new LoadedModels({
    loaders: runtimeLoaders(),
    defaultThreads: config.threads,
    log,
    fileReader: (manifest) => (path) => {
      if (!files) throw new Error('no --files-endpoint: this ML service cannot fetch model files');
      const f = manifest.files.find((x) => x.path === path);
      return files.readFile(manifest.model, path, f?.sha256);
    },
  });
  const server = await startMlServer({ listen: config.listen, secret, loadedModels, log });
  process.stdout.write(formatListening(server.address, process.pid));
  log.info({ address: server.address }, 'ML service listening');

  let stopping = false;
  const stop = async (reason: string, code: number): Promise<void> => {
    if (stopping) return;
    stopping = true;
    log.info({ reason }, 'ML service stopping');
    const drainMs = reason.startsWith('signal') ? 5_000 : 0;
    // Nothing (a stuck dispose, a native call) may keep an orphan alive: exit after the drain regardless.
    setTimeout(() => process.exit(code), drainMs + EXIT_WATCHDOG_MS);
    await server.stop(drainMs);
    await loadedModels.disposeAll().catch((err: unknown) => log.error({ err }, 'dispose failed'));
    files?.close();
    process.exit(code);
  };
  watchParent({
    stdinEnd: config.exitOnStdinEnd,
    parentPid: config.parentPid,
    onGone: (reason) => void stop(reason, 0),
  });
  process.on('SIGTERM', () => void stop('signal SIGTERM', 0));
  process.on('SIGINT', () => void stop('signal SIGINT', 0));
}

/** CLI entry used by `node ml-service/dist/main.js` and `tabagent-server --mode ml`. */
export async function mlMain(argv: readonly string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${ML_HELP}\n  env ${ML_SECRET_ENV}    secret shared with the supervisor that attaches (--mode supervisor)\n`);
    return;
  }
  await runMl(parseMlArgs(argv));
}
