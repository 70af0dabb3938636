// End-to-end: the supervisor's own process loads no ML runtime. After `--mode all` reaches SERVING,
// the supervisor's memory map holds no onnxruntime, sharp or tfjs native library, while its ML
// child's does (the control that shows the check can see a loaded runtime).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { startServer, type ServerUnderTest } from '../support/server-process.js';

/** Native libraries an ML runtime brings into a process. */
const ML_NATIVE = [/onnxruntime_binding\.node/, /libonnxruntime\.so/, /sharp-[\w-]+\.node/, /libvips/, /tfjs/];

/** The file paths mapped into a process (from /proc/<pid>/maps), deduplicated. */
function mappedFiles(pid: number): string[] {
  const lines = readFileSync(`/proc/${pid}/maps`, 'utf8').split('\n');
  const files = new Set<string>();
  for (const line of lines) {
    const path = line.split(/\s+/).slice(5).join(' ');
    if (path.startsWith('/')) files.add(path);
  }
  return [...files];
}

/** Resident set size of a process in MiB (from /proc/<pid>/status). */
function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  assert.ok(m, `no VmRSS for ${pid}`);
  return Number(m[1]) / 1024;
}

describe('the supervisor process loads no ML runtime', () => {
  let server: ServerUnderTest;
  before(async () => {
    server = await startServer({ args: ['--mode', 'all'] });
  });
  after(async () => {
    if (server) await server.stop();
  });

  it('maps no onnxruntime, sharp or tfjs library; the ML child maps onnxruntime', () => {
    const own = mappedFiles(server.pid);
    assert.ok(own.some((f) => f.endsWith('/node') || f.includes('/node')), 'the supervisor maps its node binary');
    for (const re of ML_NATIVE) {
      const hit = own.find((f) => re.test(f));
      assert.equal(hit, undefined, `the supervisor process mapped ${hit}`);
    }
    const [child] = server.childPids();
    assert.ok(child !== undefined, 'an ML child is running');
    assert.ok(mappedFiles(child).some((f) => /onnxruntime_binding\.node/.test(f)), 'the ML child maps onnxruntime_binding.node');
    process.stdout.write(`# supervisor RSS ${rssMiB(server.pid).toFixed(1)} MiB, ML child RSS ${rssMiB(child).toFixed(1)} MiB\n`);
  });
});
