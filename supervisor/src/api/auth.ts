// Optional bearer-token authentication of public calls ("authorization: Bearer <token>").
import type { Metadata, UntypedServiceImplementation } from '@grpc/grpc-js';
import { timingSafeEqual } from 'node:crypto';
import { TabagentError, failStream, toGrpcStatus } from '@tabagent/common';

/** Throws UNAUTHENTICATED unless the metadata carries the token. */
export function checkBearer(metadata: Metadata, token: string): void {
  checkAuthorization(metadata.get('authorization')[0], token);
}

/** Throws UNAUTHENTICATED unless an "authorization" value carries the token. */
export function checkAuthorization(raw: unknown, token: string): void {
  const got = Buffer.from(typeof raw === 'string' && raw.startsWith('Bearer ') ? raw.slice(7) : '');
  const want = Buffer.from(token);
  if (got.length !== want.length || !timingSafeEqual(got, want)) {
    throw new TabagentError('TA_ERR_UNAUTHENTICATED', 'missing or wrong bearer token in the "authorization" metadata');
  }
}

/** Wraps every handler with the token check; no-op when token is empty. */
export function requireBearer<T extends UntypedServiceImplementation>(impl: T, token: string): T {
  if (!token) return impl;
  const out: Record<string, unknown> = {};
  for (const [name, handler] of Object.entries(impl)) {
    out[name] = (call: { metadata: Metadata; emit(ev: 'error', e: unknown): boolean }, cb?: (e: unknown) => void) => {
      try {
        checkBearer(call.metadata, token);
      } catch (err) {
        if (cb) cb(toGrpcStatus(err));
        else failStream(call, err);
        return;
      }
      (handler as (c: unknown, cb?: unknown) => void)(call, cb);
    };
  }
  return out as T;
}
