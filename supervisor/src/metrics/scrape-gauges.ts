// Gauges read when /metrics is scraped: ML child state and RSS per node, supervisor RSS, loaded
// models and their bytes; and the embedding batch-size histogram, fed from each ready node's Runtime
// Status report (its cumulative batch counts). Nothing is polled between scrapes.
import { readFile } from 'node:fs/promises';
import { Gauge, Histogram, type Registry } from 'prom-client';
import type { RuntimeStatusResponse } from '@tabagent/protos/v1/runtime';
import { BatchDeltas } from './batch-deltas.js';
import { BATCH_SIZE_BUCKETS } from './buckets.js';

/** Deadline of one node's status report during a scrape. */
const STATUS_DEADLINE_MS = 2_000;

/** One ML node as the scrape sees it. */
export interface NodeFacts {
  readonly node: string;
  /** Its child lifecycle state, one of ScrapeSources.childStates. */
  readonly state: string;
  /** Pid of a child spawned on this machine (its RSS is read from /proc); undefined for a remote node. */
  readonly localPid: number | undefined;
  /** The node's own status report (undefined when it is not ready). */
  status(deadline: Date): Promise<RuntimeStatusResponse | undefined>;
}

/** Where the scrape reads from (plain functions: the metrics know no other layer). */
export interface ScrapeSources {
  /** Every lifecycle state a child can be in (the state gauge has one series per state). */
  readonly childStates: readonly string[];
  nodes(): readonly NodeFacts[];
  /** Models loaded, with the bytes of the files the ML nodes loaded them from. */
  loaded(): ReadonlyArray<{ readonly id: string; readonly bytes: number }>;
}

/** VmRSS of a process in bytes, from /proc/<pid>/status; undefined when unreadable. */
export async function procRss(pid: number): Promise<number | undefined> {
  const text = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const kb = /^VmRSS:\s+(\d+)\s+kB$/m.exec(text)?.[1];
  return kb === undefined ? undefined : Number(kb) * 1024;
}

/** The scrape-time metrics. */
export class ScrapeGauges {
  readonly #state: Gauge<'node' | 'state'>;
  readonly #childRss: Gauge<'node'>;
  readonly #supervisorRss: Gauge;
  readonly #models: Gauge;
  readonly #modelBytes: Gauge<'model'>;
  readonly #batches: Histogram<'model'>;
  readonly #deltas = new BatchDeltas();
  /** The refresh in progress: refreshes run one at a time, so node reports apply in order. */
  #last: Promise<void> = Promise.resolve();

  constructor(registry: Registry) {
    const registers = [registry];
    this.#state = new Gauge({ name: 'tabagent_ml_child_state', help: 'Lifecycle state of each ML node\'s child: 1 for the current state, 0 for the others', labelNames: ['node', 'state'] as const, registers });
    this.#childRss = new Gauge({ name: 'tabagent_ml_child_resident_memory_bytes', help: 'Resident set size of each ML node\'s process (from /proc for a local child, else as the node reports it)', labelNames: ['node'] as const, registers });
    this.#supervisorRss = new Gauge({ name: 'tabagent_supervisor_resident_memory_bytes', help: 'Resident set size of the supervisor process', registers });
    this.#models = new Gauge({ name: 'tabagent_models_loaded', help: 'Models loaded (ready on at least one ML node)', registers });
    this.#modelBytes = new Gauge({ name: 'tabagent_model_loaded_bytes', help: 'Bytes of the files each loaded model was loaded from', labelNames: ['model'] as const, registers });
    this.#batches = new Histogram({
      name: 'tabagent_embedding_batch_size', help: 'Texts per embedding model call of the dynamic batcher, by model (read from the ML nodes at each scrape)',
      labelNames: ['model'] as const, buckets: BATCH_SIZE_BUCKETS, registers,
    });
  }

  /** Reads every source and sets the gauges (runs before each exposition). */
  refresh(src: ScrapeSources): Promise<void> {
    const next = this.#last.then(() => this.#refresh(src));
    this.#last = next.catch(() => undefined);
    return next;
  }

  async #refresh(src: ScrapeSources): Promise<void> {
    this.#supervisorRss.set(process.memoryUsage.rss());
    const reports = await Promise.all(src.nodes().map(async (n) => ({
      n,
      status: await n.status(new Date(Date.now() + STATUS_DEADLINE_MS)).catch(() => undefined),
      rss: n.localPid !== undefined ? await procRss(n.localPid) : undefined,
    })));
    this.#state.reset();
    this.#childRss.reset();
    for (const { n, status, rss } of reports) {
      for (const s of src.childStates) this.#state.set({ node: n.node, state: s }, s === n.state ? 1 : 0);
      const bytes = rss ?? status?.rssBytes;
      if (bytes !== undefined && bytes > 0) this.#childRss.set({ node: n.node }, bytes);
      if (status) this.#deltas.apply(n.node, status, (model, size, times) => {
        const h = this.#batches.labels(model);
        for (let i = 0; i < times; i++) h.observe(size);
      });
    }
    const loaded = src.loaded();
    this.#models.set(loaded.length);
    this.#modelBytes.reset();
    for (const m of loaded) this.#modelBytes.set({ model: m.id }, m.bytes);
  }
}
