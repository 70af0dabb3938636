// Runs the built `tabagent` CLI as a subprocess and collects its output and exit code.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { resolveFfmpeg } from '@tabagent/common';
import { repoRoot } from './paths.js';

/** The built CLI entry point. */
export const tabagentCli: string = join(repoRoot, 'cli', 'dist', 'main.js');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `tabagent --server ADDR ...args`; resolves when it exits. */
export function runCli(server: string | undefined, args: readonly string[], timeoutMs = 300_000): Promise<CliRun> {
  const full = server === undefined ? [...args] : ['--server', server, ...args];
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [tabagentCli, ...full], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const t = setTimeout(() => {
      p.kill('SIGKILL');
      reject(new Error(`tabagent ${full.join(' ')} timed out; stderr: ${stderr}`));
    }, timeoutMs);
    p.on('error', reject);
    p.on('close', (code) => {
      clearTimeout(t);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Counts a video file's frames by decoding it with the packaged ffmpeg (no ffprobe needed). */
export function countVideoFrames(file: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const p = spawn(resolveFfmpeg().path, ['-hide_banner', '-i', file, '-map', '0:v:0', '-f', 'null', '-'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('error', reject);
    p.on('close', () => {
      const last = [...err.matchAll(/frame=\s*(\d+)/g)].at(-1);
      if (last) resolve(Number(last[1]));
      else reject(new Error(`cannot count frames of ${file}: ${err.slice(-300)}`));
    });
  });
}
