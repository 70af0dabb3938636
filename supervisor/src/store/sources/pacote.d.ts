// Minimal typings for the parts of pacote the npm source uses (pacote ships no types).

declare module 'pacote' {
  import type { Readable } from 'node:stream';

  export interface TarballResult {
    readonly from: string;
    readonly resolved: string;
    readonly integrity: string;
  }

  export interface TarballApi {
    stream<T>(spec: string, handler: (stream: Readable) => Promise<T>, opts?: Record<string, unknown>): Promise<T>;
  }

  export const tarball: TarballApi;
  export function manifest(spec: string, opts?: Record<string, unknown>): Promise<Record<string, unknown> & {
    readonly _resolved: string;
    readonly _integrity: string;
    readonly version: string;
  }>;

  const pacote: { tarball: TarballApi; manifest: typeof manifest };
  export default pacote;
}
