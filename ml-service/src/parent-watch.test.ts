// The ML child notices its supervisor is gone, even after SIGKILL: by stdin EOF, and by the
// parent-pid watch alone when stdin stays open (a real process tree, no mocks).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';

const script = fileURLToPath(new URL('./parent-watch.test-support.js', import.meta.url));

interface Report { watching?: number; pid?: number; gone?: string; at?: number }

/** Starts mid (which starts a watching leaf), SIGKILLs mid, returns what the leaf reported. */
async function killParent(mode: 'stdin' | 'pid'): Promise<{ reason: string; afterMs: number; midPid: number }> {
  const mid = spawn(process.execPath, [script, 'mid', mode], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: mid.stdout });
  const reports: Report[] = [];
  let notify = (): void => undefined;
  lines.on('line', (l) => {
    reports.push(JSON.parse(l) as Report);
    notify();
  });
  const next = async (pred: (r: Report) => boolean, ms: number): Promise<Report> => {
    const end = Date.now() + ms;
    for (;;) {
      const hit = reports.find(pred);
      if (hit) return hit;
      if (Date.now() > end) throw new Error(`no report within ${ms} ms: ${JSON.stringify(reports)}`);
      await new Promise<void>((r) => { notify = r; setTimeout(r, 100); });
    }
  };
  const hello = await next((r) => r.watching !== undefined, 10_000);
  assert.equal(hello.watching, mid.pid);
  const killedAt = Date.now();
  mid.kill('SIGKILL');
  const gone = await next((r) => r.gone !== undefined, 5_000);
  mid.stdin.destroy();
  return { reason: gone.gone ?? '', afterMs: (gone.at ?? 0) - killedAt, midPid: mid.pid ?? 0 };
}

describe('watchParent', () => {
  it('fires on stdin EOF as soon as the SIGKILLed parent\'s pipe closes', async () => {
    const r = await killParent('stdin');
    assert.equal(r.reason, 'stdin closed');
    assert.ok(r.afterMs < 2000, `noticed after ${r.afterMs} ms`);
  });

  it('fires from the 500 ms parent-pid poll when stdin stays open', async () => {
    const r = await killParent('pid');
    assert.equal(r.reason, `parent ${r.midPid} exited`);
    assert.ok(r.afterMs < 2000, `noticed after ${r.afterMs} ms`);
  });
});
