// Promise wrappers for unary grpc-js client calls to the child, turning errors into TabagentErrors.
import type { CallOptions, Metadata, ServiceError } from '@grpc/grpc-js';
import { fromServiceError } from '@tabagent/common';

type UnaryFn<Req, Res> = (req: Req, meta: Metadata, opts: Partial<CallOptions>, cb: (e: ServiceError | null, r?: Res) => void) => unknown;

/** Calls a unary method; rejects with a TabagentError rebuilt from the status. */
export function callUnary<Req, Res>(fn: UnaryFn<Req, Res>, self: unknown, req: Req, meta: Metadata, deadline?: Date): Promise<Res> {
  return new Promise((resolve, reject) => {
    fn.call(self, req, meta, deadline ? { deadline } : {}, (err, res) => {
      if (err) reject(fromServiceError(err));
      else resolve(res as Res);
    });
  });
}
