// Worker-thread entry of FileAssembler: places the chunks of model files into their final buffers
// and hashes them (sha256) off the main thread, then hands each finished buffer back by transfer
// (no copy). Several files may be in progress at once, each under its own id.

import { createHash, type Hash } from 'node:crypto';
import { parentPort } from 'node:worker_threads';

/** Main thread → worker. */
export type AssemblerRequest =
  | { op: 'start'; id: number; total: number }
  | { op: 'chunk'; id: number; offset: number; data: Uint8Array }
  | { op: 'finish'; id: number }
  | { op: 'abort'; id: number };

/** Worker → main thread. */
export type AssemblerReply =
  | { id: number; bytes: Uint8Array; sha256: string }
  | { id: number; error: string };

interface Entry {
  readonly bytes: Uint8Array;
  readonly hash: Hash;
  /** Next offset expected: chunks arrive in order, so the hash covers bytes [0, next). */
  next: number;
}

function handle(entries: Map<number, Entry>, msg: AssemblerRequest): AssemblerReply | undefined {
  const entry = entries.get(msg.id);
  switch (msg.op) {
    case 'start':
      entries.set(msg.id, { bytes: new Uint8Array(msg.total), hash: createHash('sha256'), next: 0 });
      return undefined;
    case 'chunk':
      if (!entry) return undefined; // aborted or failed already
      if (msg.offset !== entry.next || msg.offset + msg.data.length > entry.bytes.length) {
        entries.delete(msg.id);
        return { id: msg.id, error: `chunk at ${msg.offset} (+${msg.data.length}) does not follow ${entry.next} of ${entry.bytes.length}` };
      }
      entry.bytes.set(msg.data, msg.offset);
      entry.hash.update(msg.data);
      entry.next += msg.data.length;
      return undefined;
    case 'finish':
      entries.delete(msg.id);
      if (!entry) return { id: msg.id, error: 'unknown or failed file' };
      return { id: msg.id, bytes: entry.bytes, sha256: entry.hash.digest('hex') };
    case 'abort':
      entries.delete(msg.id);
      return undefined;
  }
}

function serve(): void {
  const port = parentPort;
  if (port === null) throw new Error('the file assembler must run in a worker thread');
  const entries = new Map<number, Entry>();
  port.on('message', (msg: AssemblerRequest) => {
    let reply: AssemblerReply | undefined;
    try {
      reply = handle(entries, msg);
    } catch (err) {
      entries.delete(msg.id);
      reply = { id: msg.id, error: (err as Error).message };
    }
    if (reply === undefined) return;
    if ('bytes' in reply) port.postMessage(reply, [reply.bytes.buffer as ArrayBuffer]);
    else port.postMessage(reply);
  });
}

serve();
