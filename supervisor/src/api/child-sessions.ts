// The pass-through forwarder's HTTP/2 sessions to the children: one pooled session per child link
// (a link is one child process, so a restarted child gets a new session), opened on first use and
// forgotten when it closes or fails. The link's own grpc-js clients stay in use for everything else.
import http2, { type ClientHttp2Session } from 'node:http2';
import { connect } from 'node:net';
import type { GrpcChildLink } from '../child/child-link.js';

/** The authority and connection options of a child address ("unix:/path" or "host:port"). */
function target(address: string): { authority: string; options: http2.ClientSessionOptions } {
  if (address.startsWith('unix:')) {
    const path = address.slice('unix:'.length).replace(/^\/\/(?=\/)/, '');
    return { authority: 'http://localhost', options: { createConnection: () => connect(path) } };
  }
  return { authority: `http://${address}`, options: {} };
}

/** Sessions to the children, by link. */
export class ChildSessions {
  readonly #sessions = new WeakMap<GrpcChildLink, ClientHttp2Session>();
  readonly #open = new Set<ClientHttp2Session>();

  /** The live session to a link's child, opened when there is none. */
  session(link: GrpcChildLink): ClientHttp2Session {
    const known = this.#sessions.get(link);
    if (known && !known.closed && !known.destroyed) return known;
    const { authority, options } = target(link.address);
    // The default 64 KiB receive window: the child's server sends into it (see grpc-window.ts).
    const s = http2.connect(authority, { ...options, settings: { enablePush: false } });
    const forget = (): void => {
      if (this.#sessions.get(link) === s) this.#sessions.delete(link);
      this.#open.delete(s);
    };
    s.on('error', forget);
    s.on('close', forget);
    s.on('goaway', forget);
    // An idle session does not keep the process alive.
    s.unref();
    this.#sessions.set(link, s);
    this.#open.add(s);
    return s;
  }

  /** Closes every session (shutdown). */
  close(): void {
    for (const s of this.#open) s.destroy();
    this.#open.clear();
  }
}
