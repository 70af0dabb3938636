// The floor of target 1: a bare Node `http2` server, in a process of its own, that reads each unary
// gRPC request message and answers an empty DetectFacesResponse at once (no routing, no child, no
// grpc-js). Its CPU per call is what the public HTTP/2 hop alone costs in Node, below which no
// forwarder on the same listener can go. Run as a script it serves on 127.0.0.1 and prints its port.
import { spawn, type ChildProcess } from 'node:child_process';
import http2 from 'node:http2';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** An empty message (no compression flag, length 0). */
const EMPTY_MESSAGE = Buffer.alloc(5);

function serve(): void {
  const server = http2.createServer();
  server.on('stream', (stream) => {
    stream.on('error', () => undefined);
    stream.on('data', () => undefined); // the request body is read (and dropped) as grpc-js would read it
    stream.on('end', () => {
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
      stream.once('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0', 'grpc-message': '' }));
      stream.end(EMPTY_MESSAGE);
    });
  });
  server.listen(0, '127.0.0.1', () => {
    const addr = server.address();
    process.stdout.write(`${JSON.stringify({ port: addr && typeof addr === 'object' ? addr.port : 0 })}\n`);
  });
}

/** Starts the floor server as a process; resolves with its address and process. */
export async function startHttp2Floor(): Promise<{ proc: ChildProcess; address: string; stop: () => void }> {
  const proc = spawn(process.execPath, [fileURLToPath(import.meta.url)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    createInterface({ input: proc.stdout! }).once('line', (line) => resolve((JSON.parse(line) as { port: number }).port));
    proc.once('exit', (code) => reject(new Error(`http2 floor server exited with ${code}`)));
  });
  return { proc, address: `127.0.0.1:${port}`, stop: () => void proc.kill('SIGKILL') };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) serve();
