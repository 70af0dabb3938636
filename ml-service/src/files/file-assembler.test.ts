// FileAssembler: big files assembled and hashed on the worker thread (chunks transferred or copied),
// small ones in place; a chunk out of order or a closed assembler fails the file with a reason.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { FileAssembler, WORKER_MIN_BYTES } from './file-assembler.js';

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/** Splits `bytes` into chunks that each own their memory (like decoded gRPC messages) or share one buffer. */
function chunks(bytes: Buffer, size: number, own: boolean): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) {
    const part = bytes.subarray(i, Math.min(bytes.length, i + size));
    out.push(own ? new Uint8Array(part) : part);
  }
  return out;
}

test('a big file is assembled on the worker: same bytes and sha256, transferred chunks are handed over', async () => {
  const assembler = new FileAssembler();
  try {
    const original = randomBytes(WORKER_MIN_BYTES + 3 * 65_536 + 17);
    const parts = chunks(original, 1 << 20, true);
    const a = assembler.begin(original.length);
    for (const p of parts) a.push(p);
    // chunks that owned their memory were transferred to the worker, not copied
    assert.equal(parts[0]!.byteLength, 0);
    const done = await a.finish();
    assert.equal(done.bytes.length, original.length);
    assert.equal(done.sha256, sha(original));
    assert.ok(Buffer.from(done.bytes.buffer, done.bytes.byteOffset, done.bytes.byteLength).equals(original));
  } finally {
    assembler.close();
  }
});

test('chunks that share their memory are copied, leaving the caller\'s buffer intact', async () => {
  const assembler = new FileAssembler();
  try {
    const original = randomBytes(WORKER_MIN_BYTES + 1000);
    const a = assembler.begin(original.length);
    for (const p of chunks(original, 300_000, false)) a.push(p);
    assert.equal(original.length, WORKER_MIN_BYTES + 1000);
    const done = await a.finish();
    assert.equal(done.sha256, sha(original));
  } finally {
    assembler.close();
  }
});

test('a small file is assembled in place; several big files can be in progress at once', async () => {
  const assembler = new FileAssembler();
  try {
    const small = randomBytes(1000);
    const s = assembler.begin(small.length);
    s.push(small.subarray(0, 400));
    s.push(small.subarray(400));
    assert.equal((await s.finish()).sha256, sha(small));
    const x = randomBytes(WORKER_MIN_BYTES);
    const y = randomBytes(WORKER_MIN_BYTES + 5);
    const ax = assembler.begin(x.length);
    const ay = assembler.begin(y.length);
    const px = chunks(x, 1 << 20, true);
    const py = chunks(y, 1 << 20, true);
    for (let i = 0; i < Math.max(px.length, py.length); i++) {
      if (px[i]) ax.push(px[i]!);
      if (py[i]) ay.push(py[i]!);
    }
    const [dx, dy] = await Promise.all([ax.finish(), ay.finish()]);
    assert.equal(dx.sha256, sha(x));
    assert.equal(dy.sha256, sha(y));
  } finally {
    assembler.close();
  }
});

test('more bytes than announced fail the file with the reason', async () => {
  const assembler = new FileAssembler();
  try {
    const a = assembler.begin(WORKER_MIN_BYTES);
    a.push(new Uint8Array(WORKER_MIN_BYTES));
    a.push(new Uint8Array(10));
    await assert.rejects(a.finish(), /chunk at 4194304 \(\+10\) does not follow 4194304 of 4194304/);
  } finally {
    assembler.close();
  }
});

test('close() fails files in progress; abort() forgets one', async () => {
  const assembler = new FileAssembler();
  const aborted = assembler.begin(WORKER_MIN_BYTES);
  aborted.abort();
  await assert.rejects(aborted.finish(), /unknown or failed file/);
  const a = assembler.begin(WORKER_MIN_BYTES);
  a.push(new Uint8Array(1024));
  const pending = a.finish();
  assembler.close();
  await assert.rejects(pending, /closed/);
});

test('a file begun before close() fails at finish() instead of waiting forever', async () => {
  const assembler = new FileAssembler();
  const a = assembler.begin(WORKER_MIN_BYTES);
  a.push(new Uint8Array(WORKER_MIN_BYTES));
  assembler.close();
  await assert.rejects(a.finish(), /closed/);
  // a new file after close() starts a fresh worker
  const again = randomBytes(WORKER_MIN_BYTES);
  const b = assembler.begin(again.length);
  b.push(new Uint8Array(again));
  assert.equal((await b.finish()).sha256, sha(again));
  assembler.close();
});
