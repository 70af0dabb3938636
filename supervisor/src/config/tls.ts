// TLS for the public listeners (gRPC and HTTP): the certificate chain and private key given by
// --tls-cert / --tls-key, read and checked once at start-up so a wrong file fails with a clear
// message instead of at the first handshake.
import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';

/** PEM certificate chain and private key of the public listeners. */
export interface TlsFiles {
  readonly cert: Buffer;
  readonly key: Buffer;
}

function readPem(flag: string, path: string): Buffer {
  let data: Buffer;
  try {
    data = readFileSync(path);
  } catch (err) {
    throw new Error(`${flag}: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  if (!data.includes('-----BEGIN ')) throw new Error(`${flag}: ${path} is not a PEM file`);
  return data;
}

/** Reads both files (both or neither must be set); undefined when TLS is off. Throws a message naming the flag. */
export function loadTlsFiles(certPath: string, keyPath: string): TlsFiles | undefined {
  if (!certPath && !keyPath) return undefined;
  if (!certPath || !keyPath) throw new Error(`--tls-cert and --tls-key go together: ${certPath ? '--tls-key' : '--tls-cert'} is missing`);
  const files = Object.freeze({ cert: readPem('--tls-cert', certPath), key: readPem('--tls-key', keyPath) });
  try {
    createSecureContext(files);
  } catch (err) {
    throw new Error(`--tls-cert/--tls-key: ${certPath} and ${keyPath} do not form a usable certificate and key (${(err as Error).message})`);
  }
  return files;
}
