// Unit tests of the log format choice (auto = pretty on a terminal, JSON otherwise) and of the two
// formats' output: JSON lines that parse, and pretty lines with time, level, pid, "proc: message" and
// the other fields, without colour codes when not on a terminal.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { createLogger, LOG_FORMATS, prettyStream, resolveLogFormat } from './logger.js';

/** A destination that keeps what was written. */
function sink(): { stream: Writable & { write: Writable['write'] }; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({ write(chunk: Buffer, _enc, cb) { chunks.push(chunk.toString('utf8')); cb(); } });
  return { stream, text: () => chunks.join('') };
}

describe('log format', () => {
  it('auto is pretty on a terminal and JSON otherwise; an explicit format always wins', () => {
    assert.deepEqual([...LOG_FORMATS], ['auto', 'json', 'pretty']);
    assert.equal(resolveLogFormat('auto', true), 'pretty');
    assert.equal(resolveLogFormat('auto', false), 'json');
    assert.equal(resolveLogFormat('json', true), 'json');
    assert.equal(resolveLogFormat('pretty', false), 'pretty');
  });

  it('JSON lines carry level, proc, pid, msg and fields', () => {
    const out = sink();
    createLogger({ proc: 'supervisor', format: 'json', destination: out.stream }).info({ port: 50051 }, 'listening');
    const line = JSON.parse(out.text().trim()) as Record<string, unknown>;
    assert.equal(line['level'], 30);
    assert.equal(line['proc'], 'supervisor');
    assert.equal(line['pid'], process.pid);
    assert.equal(line['msg'], 'listening');
    assert.equal(line['port'], 50051);
  });

  it('pretty lines: time, level, pid, "proc: message", then the fields on the same line, no colour codes', () => {
    const out = sink();
    const log = createLogger({ proc: 'supervisor', format: 'pretty', destination: prettyStream(out.stream, false) });
    log.warn({ model: 'karpathy/stories260K', port: 8080 }, 'something to see');
    const text = out.text();
    assert.match(text, new RegExp(`^\\[\\d{2}:\\d{2}:\\d{2}\\.\\d{3}\\] WARN \\(${process.pid}\\): supervisor: something to see \\{"model":"karpathy/stories260K","port":8080\\}\\n$`));
    assert.ok(!text.includes('\u001b['), 'no ANSI codes');
    assert.throws(() => JSON.parse(text));
  });

  it('pretty output is written synchronously (nothing is left buffered at exit)', () => {
    const out = sink();
    const log = createLogger({ proc: 'ml', format: 'pretty', destination: prettyStream(out.stream, false) });
    log.error('last words');
    assert.match(out.text(), /ERROR \(\d+\): ml: last words/);
  });
});
