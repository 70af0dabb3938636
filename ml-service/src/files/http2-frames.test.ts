// advertiseLargeHttp2Frames: client sessions opened afterwards announce 1 MiB frames, the peer may
// send them, and installing twice changes nothing.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { MAX_FRAME_BYTES, advertiseLargeHttp2Frames } from './http2-frames.js';

test('client sessions announce large frames and receive a 3 MiB body intact', async () => {
  advertiseLargeHttp2Frames();
  const wrapped = http2.connect;
  advertiseLargeHttp2Frames();
  assert.equal(http2.connect, wrapped, 'a second install keeps the first wrapper');
  const body = Buffer.alloc(3 << 20, 7);
  let peerMaxFrame = 0;
  const server = http2.createServer();
  server.on('stream', (stream, _headers) => {
    peerMaxFrame = stream.session?.remoteSettings.maxFrameSize ?? 0;
    stream.respond({ ':status': 200 });
    stream.end(body);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const session = http2.connect(`http://127.0.0.1:${port}`, { settings: { initialWindowSize: 8 << 20 } });
  try {
    const req = session.request({ ':path': '/' });
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    await once(req, 'end');
    assert.equal(peerMaxFrame, MAX_FRAME_BYTES, 'the server saw the announced frame size');
    assert.ok(Buffer.concat(parts).equals(body));
    // settings are acknowledged by now (the server answered after seeing them)
    assert.equal(session.localSettings.maxFrameSize, MAX_FRAME_BYTES);
    assert.equal(session.localSettings.initialWindowSize, 8 << 20, 'the caller\'s own settings are kept');
  } finally {
    session.close();
    server.close();
  }
});
