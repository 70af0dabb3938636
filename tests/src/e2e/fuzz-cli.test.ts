// Property-based bad input for the `tabagent` CLI (the built binary, spawned: a few dozen runs):
// bad flags, bad numbers, missing arguments and files exit 2 with a usage line; errors of a live
// server (unknown or path-like model ids, corrupt images) exit 1 with one clear "error:" line;
// nothing ever prints a stack trace, and the server's ML child is never restarted.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { runCli, type CliRun } from '../support/cli-process.js';
import { testImage } from '../support/paths.js';
import { startServer, tempDir, type ServerUnderTest } from '../support/server-process.js';
import { damage } from './fuzz-http-support.js';
import { assertStillServing } from './fuzz-support.js';

/** A line of a JavaScript stack trace. */
const STACK_LINE = /^\s+at .+:\d+:\d+\)?$/m;

/** Flags that take a number, each with a command that reaches the parser. */
const NUMBER_FLAGS: ReadonlyArray<readonly string[]> = [
  ['generate', 'hi', '--max-tokens'], ['generate', 'hi', '--temperature'], ['generate', 'hi', '--seed'], ['chat', '--max-tokens'],
  ['models', 'load', 'x', '--threads'], ['models', 'load', 'x', '--keep-alive'], ['vision', 'faces', '--video', 'clip.mp4', '--fps'],
];
/** Values no number flag takes (2.5: above --temperature's range of 0-2, and not an integer for the others). */
const BAD_NUMBERS = ['abc', 'NaN', 'Infinity', '-Infinity', '1.5e400', '2.5', '99999999999999999999', '', ' ', '0x1g', '-2', '1e3x', '½'];
/** Commands wrong in their shape: unknown flags and commands, missing arguments, contradictory or missing files. */
const BAD_SHAPES: ReadonlyArray<readonly string[]> = [
  ['generate', 'hi', '--bogus'], ['--nope', 'models', 'list'], ['frobnicate'], ['vision'], ['embed'], ['models', 'show'], ['vision', 'faces'],
  ['vision', 'nosuchtask', 'x.jpg'], ['vision', 'faces', 'a.jpg', '--video', 'v.mp4'], ['vision', 'faces', 'a.jpg', '--out', 'x.gif'],
  ['vision', 'faces', '/nonexistent/x.jpg'], ['transcribe', '/nonexistent/x.wav'], ['--tls-ca', '/nonexistent/ca.pem', 'models', 'list'], ['models'],
];

function assertClean(r: CliRun, what: string): void {
  assert.doesNotMatch(r.stderr, STACK_LINE, `${what}: a stack trace\n${r.stderr}`);
  assert.doesNotMatch(r.stdout, STACK_LINE, `${what}: a stack trace on stdout\n${r.stdout}`);
}

describe('fuzzing the tabagent CLI', () => {
  let server: ServerUnderTest;
  let childPid: number;
  let dir: string;

  before(async () => {
    server = await startServer({ args: ['--mode', 'all', '--no-http', '--keep-alive', '-1'] });
    const [pid] = server.childPids();
    assert.ok(pid !== undefined);
    childPid = pid;
    dir = tempDir('tabagent-fuzz-cli-');
  });
  after(async () => {
    if (server) await server.stop();
  });

  it('bad numbers, flags, arguments and files exit 2 with a usage line and no stack trace', async () => {
    const numbers = fc.tuple(fc.constantFrom(...NUMBER_FLAGS), fc.constantFrom(...BAD_NUMBERS)).map(([cmd, v]) => [...cmd, v]);
    const args = fc.oneof(numbers, fc.constantFrom(...BAD_SHAPES));
    // Two commands per run, side by side: spawning node is the cost.
    await fc.assert(fc.asyncProperty(args, args, async (a, b) => {
      const runs = await Promise.all([a, b].map((x) => runCli(server.address, x, 60_000)));
      for (const [i, r] of runs.entries()) {
        const what = `tabagent ${[a, b][i]!.map((s) => JSON.stringify(s)).join(' ')}`;
        assert.equal(r.code, 2, `${what}: exit ${r.code}\n${r.stderr}`);
        assert.match(r.stderr, /^Usage: tabagent/m, `${what}: no usage line\n${r.stderr}`);
        assert.match(r.stderr, /^error: \S/m, `${what}: no error line\n${r.stderr}`);
        assertClean(r, what);
      }
    }), { numRuns: 10, endOnFailure: true });
  });

  it('server errors (unknown and path-like models, corrupt images) exit 1 with one clear line', async () => {
    const portrait = readFileSync(testImage('portrait.jpg'));
    const id = fc.oneof(fc.constantFrom('../../etc/passwd', 'a\u0001b', '%2e%2e%2f', 'C:\\x', 'nope/none', ' '), fc.string({ minLength: 1, maxLength: 20 }))
      .filter((s) => !s.startsWith('-') && !s.includes('\u0000'));
    const image = fc.record({ cut: fc.double({ min: 0, max: 0.5, noNaN: true }), flips: fc.array(fc.nat(), { maxLength: 3 }) });
    let n = 0;
    await fc.assert(fc.asyncProperty(fc.constantFrom('show', 'embed', 'generate', 'unload'), id, image, async (how, model, img) => {
      const file = join(dir, `damaged-${n++}.jpg`);
      writeFileSync(file, damage(portrait, img.cut, img.flips));
      const cmd = how === 'show' ? ['models', 'show', model] : how === 'unload' ? ['models', 'unload', model]
        : how === 'embed' ? ['embed', 'x', '--model', model] : ['generate', 'hi', '--model', model, '--max-tokens', '2'];
      const [byModel, byImage] = await Promise.all([runCli(server.address, cmd, 60_000), runCli(server.address, ['vision', 'faces', file], 60_000)]);
      for (const [what, r] of [[`tabagent ${cmd.join(' ')}`, byModel], [`tabagent vision faces <damaged ${JSON.stringify(img)}>`, byImage]] as const) {
        assertClean(r, what);
        // A damaged JPEG may still decode (exit 0); a bad model never does.
        if (r.code === 0 && r === byImage) continue;
        assert.equal(r.code, 1, `${what}: exit ${r.code}\n${r.stderr}`);
        const lines = r.stderr.trim().split('\n');
        assert.equal(lines.length, 1, `${what}: more than one line\n${r.stderr}`);
        assert.match(lines[0]!, /^error: server error (NOT_FOUND|INVALID_ARGUMENT) \(TA_ERR_[A-Z_]+\): \S/, `${what}: ${r.stderr}`);
      }
    }), { numRuns: 8, endOnFailure: true });
    await assertStillServing(server, childPid);
  });
});
