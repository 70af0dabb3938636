// End-to-end: tabagent-server under a pseudo-terminal (util-linux `script`) logs pretty lines by
// default: local time, level, pid, "proc: message", colours; the ML child's JSON lines are relayed in
// the same form; fastify prints no deprecation warning at start; SIGTERM still shuts down cleanly.
// With stderr on a pipe the same binary logs JSON, which every other end-to-end test parses.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { describe, it } from 'node:test';
import { repoRoot, serverCli } from '../support/paths.js';
import { tempDir } from '../support/server-process.js';

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;
const LINE = /^\[\d{2}:\d{2}:\d{2}\.\d{3}\] (TRACE|DEBUG|INFO|WARN|ERROR|FATAL) \((\d+)\): (supervisor|ml): (.*)$/;

describe('pretty logs on a terminal', () => {
  it('logs pretty lines under a pseudo-terminal, relays the child in the same form, and stops on SIGTERM', async () => {
    assert.equal(spawnSync('script', ['--version']).status, 0, 'util-linux `script` is needed to give the server a pseudo-terminal');
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env['TABAGENT_LOG_FORMAT'];
    const cache = tempDir('tabagent-tty-');
    const cmd = [process.execPath, serverCli, '--port', '0', '--http-port', '0', '--cache-dir', cache].map((a) => `'${a}'`).join(' ');
    const proc = spawn('script', ['-q', '-e', '-c', cmd, '/dev/null'], { cwd: repoRoot, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let raw = '';
    const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
    const lines = (): string[] => raw.split(/\r?\n/).map((l) => l.replace(ANSI, ''));
    proc.stdout.on('data', (b: Buffer) => (raw += b.toString('utf8')));
    proc.stderr.on('data', (b: Buffer) => (raw += b.toString('utf8')));
    const until = async (re: RegExp, ms = 30_000): Promise<RegExpExecArray> => {
      const end = Date.now() + ms;
      for (;;) {
        for (const l of lines()) {
          const m = re.exec(l);
          if (m) return m;
        }
        if (Date.now() > end) throw new Error(`no line matching ${re} in:\n${lines().slice(-20).join('\n')}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    let supervisorPid = 0;
    try {
      const listening = await until(/^\[.*\] INFO \((\d+)\): supervisor: tabagent-server listening \{.*"port":\d+/);
      supervisorPid = Number(listening[1]);
      await until(/^\[.*\] INFO \(\d+\): supervisor: http listening \{/);
      const child = await until(/^\[.*\] INFO \((\d+)\): ml: ML service listening/);
      assert.notEqual(Number(child[1]), supervisorPid, 'the child line carries the child pid');
      assert.match(raw, ANSI, 'colours on a terminal');
      const logged = lines().filter((l) => l.trim() !== '');
      for (const l of logged) assert.match(l, LINE);
      assert.ok(!raw.includes('FSTDEP'), 'no fastify deprecation warning');
      process.kill(supervisorPid, 'SIGTERM');
      assert.equal(await exited, 0);
      await until(/^\[.*\] INFO \(\d+\): supervisor: tabagent-server stopped$/, 1_000);
    } finally {
      if (proc.exitCode === null) {
        if (supervisorPid) process.kill(supervisorPid, 'SIGKILL');
        proc.kill('SIGKILL');
      }
      rmSync(cache, { recursive: true, force: true });
    }
  });
});
