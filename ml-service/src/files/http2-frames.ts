// Lets the HTTP/2 sessions this process opens receive big DATA frames.
//
// A receiver tells its peer the largest frame it accepts (SETTINGS_MAX_FRAME_SIZE, 16 KiB unless
// raised). grpc-js has no channel option for it, so with the default the supervisor must cut every
// 1 MiB model-file chunk into 64 frames, each its own socket write: measured with bench:files, the
// serving side then spends about twice the CPU per 100 MiB. This wraps `http2.connect` so client
// sessions advertise 1 MiB frames. It changes only what this process is willing to receive, so it
// is safe with any peer; installing it twice is a no-op.

import http2 from 'node:http2';
import { HTTP2_MAX_FRAME_BYTES } from '@tabagent/common';

/** Largest DATA frame payload the sessions of this process accept (the servers' value too). */
export const MAX_FRAME_BYTES = HTTP2_MAX_FRAME_BYTES;

const INSTALLED = Symbol.for('tabagent.http2.largeFrames');

type Connect = typeof http2.connect;

/** Installs the wrapper (once per process). */
export function advertiseLargeHttp2Frames(): void {
  const current = http2.connect as Connect & { [INSTALLED]?: true };
  if (current[INSTALLED]) return;
  const original = current;
  const wrapped = function connect(
    this: unknown,
    authority: string | URL,
    options?: http2.ClientSessionOptions | http2.SecureClientSessionOptions | ((...args: never[]) => void),
    listener?: (...args: never[]) => void,
  ): http2.ClientHttp2Session {
    if (typeof options === 'function') {
      listener = options;
      options = undefined;
    }
    const settings = { ...options?.settings, maxFrameSize: Math.max(options?.settings?.maxFrameSize ?? 0, MAX_FRAME_BYTES) };
    return (original as (...a: unknown[]) => http2.ClientHttp2Session).call(this, authority, { ...options, settings }, listener);
  } as unknown as Connect & { [INSTALLED]?: true };
  wrapped[INSTALLED] = true;
  http2.connect = wrapped;
}
