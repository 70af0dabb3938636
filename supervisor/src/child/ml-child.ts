// The MlChild interface: one ML process (or a stand-in in unit tests), created by an injected
// factory like Ollama's newServerFn, so restart logic can be tested against a fake.

/** How a child process ended. */
export interface ChildExit {
  /** Exit code, or null when killed by a signal. */
  readonly code: number | null;
  /** Signal name, or null. */
  readonly signal: string | null;
  /** The last lines the child wrote to stderr. */
  readonly stderrTail: readonly string[];
}

/** One ML child. */
export interface MlChild {
  /** Process id once spawned. */
  readonly pid: number | undefined;
  /** Spawns the process; resolves with the address it reports once it listens. */
  start(): Promise<string>;
  /** Settles when the process has exited (never rejects). */
  readonly exited: Promise<ChildExit>;
  /** SIGTERM to the process group, then SIGKILL after graceMs; resolves when it is gone. */
  stop(graceMs: number): Promise<ChildExit>;
  /** Sends a signal to the whole process group immediately. */
  signal(sig: NodeJS.Signals): void;
  /** The last lines the child wrote to stderr. */
  stderrTail(): readonly string[];
  /** True for an ML service this supervisor attached to rather than spawned. */
  readonly remote?: boolean;
}

/** What the factory needs to spawn a child. */
export interface ChildSpawnOptions {
  /** Where the child listens: "unix:/path.sock" or "127.0.0.1:0". */
  readonly listen: string;
  /** The supervisor's ModelFiles address. */
  readonly filesEndpoint: string;
  /** Per-spawn secret, written on the child's stdin. */
  readonly secret: string;
  /** Spawn generation (1, 2, ...), for logs. */
  readonly generation: number;
  /** Milliseconds the child has to report its address. */
  readonly startTimeoutMs: number;
}

/** Creates children. */
export type MlChildFactory = (opts: ChildSpawnOptions) => MlChild;
