// Server-Sent Events on a hijacked reply: `data: <json>` events and the closing `data: [DONE]`.
import type { FastifyReply } from 'fastify';

/** An open event stream. */
export class EventStream {
  readonly #reply: FastifyReply;

  constructor(reply: FastifyReply) {
    this.#reply = reply;
    reply.hijack();
    const headers = { ...reply.getHeaders(), 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' };
    reply.raw.writeHead(200, headers as Record<string, string>);
  }

  /** Whether the client went away. */
  get closed(): boolean { return this.#reply.raw.destroyed || this.#reply.raw.writableEnded; }

  send(obj: unknown): void {
    if (!this.closed) this.#reply.raw.write(`data: ${JSON.stringify(obj)}\n\n`);
  }

  /** Ends the stream with [DONE]. */
  done(): void {
    if (!this.closed) this.#reply.raw.end('data: [DONE]\n\n');
  }
}
