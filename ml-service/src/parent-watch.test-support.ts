// A process tree for the parent-watch test: "mid" spawns a "leaf" that watches mid and reports on
// stdout when it notices mid is gone; the test SIGKILLs mid. Run as a script, never imported.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { watchParent } from './parent-watch.js';

const [role, mode] = process.argv.slice(2);

if (role === 'mid') {
  // The leaf keeps an open stdin pipe from mid unless mode is "pid" (then stdin is a pipe nobody
  // closes: the test's own pipe is inherited, so only the pid watch can fire).
  const leaf = spawn(process.execPath, [fileURLToPath(import.meta.url), 'leaf', mode ?? 'pid', String(process.pid)], {
    stdio: [mode === 'stdin' ? 'pipe' : 'inherit', 'inherit', 'inherit'],
  });
  leaf.on('exit', () => undefined);
  setInterval(() => undefined, 60_000);
} else if (role === 'leaf') {
  const parentPid = Number(process.argv[4]);
  watchParent({
    stdinEnd: mode === 'stdin',
    parentPid: mode === 'pid' ? parentPid : 0,
    onGone: (reason) => {
      process.stdout.write(`${JSON.stringify({ gone: reason, at: Date.now() })}\n`);
      process.exit(0);
    },
  });
  process.stdout.write(`${JSON.stringify({ watching: parentPid, pid: process.pid })}\n`);
  setTimeout(() => process.exit(2), 20_000);
}
