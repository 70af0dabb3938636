// The supervisor's Prometheus metrics (prom-client, one registry per supervisor): one `tabagent_`
// prefix, base units (seconds), `_total` on counters. Served as text by the HTTP API's GET /metrics.
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Upper bounds of the request-duration buckets, in seconds (1 ms to 2 min). */
const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

/** Longest model label kept (a client can send any string as a model id). */
const MAX_MODEL_LABEL = 100;

/** One finished request. */
export interface RequestSample {
  /** "http" (the gRPC surface is not counted yet). */
  surface: string;
  /** The route, e.g. "POST /v1/chat/completions". */
  method: string;
  /** Model id of the request, "" when none. */
  model: string;
  /** The HTTP status. */
  code: number;
  seconds: number;
}

/** Counters and histograms of one supervisor. */
export class Metrics {
  readonly registry = new Registry();
  readonly #requests = new Counter({
    name: 'tabagent_requests_total', help: 'Requests answered, by surface, method, model and status code',
    labelNames: ['surface', 'method', 'model', 'code'] as const, registers: [this.registry],
  });
  readonly #duration = new Histogram({
    name: 'tabagent_request_duration_seconds', help: 'Time from a request\'s arrival to the end of its answer (a stream\'s last event)',
    labelNames: ['surface', 'method', 'model'] as const, buckets: DURATION_BUCKETS, registers: [this.registry],
  });
  readonly #prompt = new Counter({
    name: 'tabagent_prompt_tokens_total', help: 'Prompt tokens of finished generations, by model',
    labelNames: ['model'] as const, registers: [this.registry],
  });
  readonly #generated = new Counter({
    name: 'tabagent_generated_tokens_total', help: 'Tokens generated, by model',
    labelNames: ['model'] as const, registers: [this.registry],
  });
  readonly #restarts = new Counter({
    name: 'tabagent_ml_child_restarts_total', help: 'ML child processes started again after the first one (crash, hang or retry after FAILED), by ML node',
    labelNames: ['node'] as const, registers: [this.registry],
  });
  readonly #routed = new Counter({
    name: 'tabagent_node_calls_total', help: 'Inference calls and Track streams routed to each ML node',
    labelNames: ['node'] as const, registers: [this.registry],
  });
  readonly #up = new Gauge({
    name: 'tabagent_node_up', help: 'Whether each ML node is up (1) or not (0)',
    labelNames: ['node'] as const, registers: [this.registry],
  });

  /** Counts one answered request. */
  request(s: RequestSample): void {
    const model = s.model.slice(0, MAX_MODEL_LABEL);
    this.#requests.inc({ surface: s.surface, method: s.method, model, code: String(s.code) });
    this.#duration.observe({ surface: s.surface, method: s.method, model }, s.seconds);
  }

  /** Counts the tokens of one finished generation. */
  tokens(model: string, prompt: number, generated: number): void {
    const label = { model: model.slice(0, MAX_MODEL_LABEL) };
    this.#prompt.inc(label, prompt);
    this.#generated.inc(label, generated);
  }

  /** Counts one restart of an ML node's child (or reconnect of an attached node). */
  childRestarted(node: string): void {
    this.#restarts.inc({ node });
  }

  /** Counts one call routed to a node. */
  routed(node: string): void {
    this.#routed.inc({ node });
  }

  /** Whether a node is up. */
  nodeUp(node: string, up: boolean): void {
    this.#up.set({ node }, up ? 1 : 0);
  }

  /** The exposition text and its content type. */
  async expose(): Promise<{ contentType: string; text: string }> {
    return { contentType: this.registry.contentType, text: await this.registry.metrics() };
  }
}
