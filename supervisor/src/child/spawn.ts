// The real MlChild: spawns `node ml-service/dist/cli.js` with execa in its own process group,
// with explicit arguments and a minimal environment (nothing of the supervisor's leaks), writes the
// per-spawn secret on stdin (never argv or env), and reads the bound address from stdout.
import { execa, type ResultPromise } from 'execa';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseListening, type Logger } from '@tabagent/common';
import type { ChildExit, ChildSpawnOptions, MlChild, MlChildFactory } from './ml-child.js';
import { relogChildLine } from './relog.js';
import { LineTail, summarizeLogLine } from './stderr-tail.js';
import { terminateGroup } from './terminate.js';

/** Options shared by every child a factory spawns. */
export interface ProcessChildOptions {
  log: Logger;
  logLevel: string;
  threads: number;
  /** Override the child entry (tests use a crashing stand-in). */
  entry?: string;
  /** Extra arguments after the standard ones. */
  extraArgs?: readonly string[];
}

/** Path of the ML child's executable script. */
export function defaultChildEntry(): string {
  return fileURLToPath(import.meta.resolve('@tabagent/ml-service/cli'));
}

/** A factory of real child processes. */
export function processChildFactory(opts: ProcessChildOptions): MlChildFactory {
  return (spawnOpts) => new ProcessChild(opts, spawnOpts);
}

/** Environment passed to the child: only what a Node process needs to run. */
function childEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const k of ['PATH', 'HOME', 'LANG', 'TZ', 'TMPDIR', 'NODE_OPTIONS']) {
    const v = process.env[k];
    if (v !== undefined) env[k] = v;
  }
  return env;
}

class ProcessChild implements MlChild {
  readonly #opts: ProcessChildOptions;
  readonly #spawn: ChildSpawnOptions;
  readonly #tail = new LineTail(40);
  #proc: ResultPromise | undefined;
  #resolveExit!: (e: ChildExit) => void;
  readonly exited: Promise<ChildExit>;

  constructor(opts: ProcessChildOptions, spawnOpts: ChildSpawnOptions) {
    this.#opts = opts;
    this.#spawn = spawnOpts;
    this.exited = new Promise((r) => (this.#resolveExit = r));
  }

  get pid(): number | undefined {
    return this.#proc?.pid;
  }

  start(): Promise<string> {
    const s = this.#spawn;
    const args = [
      this.#opts.entry ?? defaultChildEntry(),
      '--listen', s.listen, '--files-endpoint', s.filesEndpoint, '--secret-stdin', '--exit-on-stdin-end',
      '--parent-pid', String(process.pid), '--log-level', this.#opts.logLevel, '--log-format', 'json', '--threads', String(this.#opts.threads),
      ...(this.#opts.extraArgs ?? []),
    ];
    const proc = execa(process.execPath, args, {
      detached: true, cleanup: false, extendEnv: false, env: childEnv(),
      stdin: 'pipe', stdout: 'pipe', stderr: 'pipe', buffer: false, reject: false,
    });
    this.#proc = proc;
    const log = this.#opts.log;
    createInterface({ input: proc.stderr }).on('line', (line) => {
      this.#tail.push(summarizeLogLine(line));
      relogChildLine(log, proc.pid, line);
    });
    proc.then((r) => {
      this.#resolveExit({ code: r.exitCode ?? null, signal: r.signal ?? null, stderrTail: this.#tail.lines() });
    }, () => this.#resolveExit({ code: null, signal: null, stderrTail: this.#tail.lines() }));
    proc.stdin.on('error', () => undefined); // EPIPE when the child dies first
    proc.stdin.write(`${s.secret}\n`);
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.signal('SIGKILL');
        reject(new Error(`ML child did not report its address within ${s.startTimeoutMs} ms`));
      }, s.startTimeoutMs);
      createInterface({ input: proc.stdout }).on('line', (line) => {
        const msg = parseListening(line);
        if (msg === undefined) {
          log.debug({ proc: 'ml', pid: proc.pid, line }, 'child stdout');
          return;
        }
        clearTimeout(timer);
        resolve(msg.address);
      });
      void this.exited.then((e) => {
        clearTimeout(timer);
        reject(new Error(`ML child exited before listening (code ${e.code}, signal ${e.signal}): ${e.stderrTail.slice(-5).join(' | ')}`));
      });
    });
  }

  stop(graceMs: number): Promise<ChildExit> {
    return terminateGroup(this, graceMs);
  }

  signal(sig: NodeJS.Signals): void {
    const pid = this.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, sig);
    } catch {
      try {
        process.kill(pid, sig);
      } catch {
        // already gone
      }
    }
  }

  stderrTail(): readonly string[] {
    return this.#tail.lines();
  }
}
