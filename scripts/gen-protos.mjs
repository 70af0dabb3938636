#!/usr/bin/env node
// Regenerates protos/src/generated from protos/tabagent/**/*.proto with buf + ts-proto.
// With --check, generates into a temporary folder and fails when the committed code is stale.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const protos = join(root, 'protos');
const committed = join(protos, 'src', 'generated');
const check = process.argv.includes('--check');

function listFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...listFiles(p));
    else out.push(p);
  }
  return out;
}

function generate(outDir) {
  const buf = join(root, 'node_modules', '.bin', 'buf');
  execFileSync(buf, ['lint'], { cwd: protos, stdio: 'inherit' });
  execFileSync(buf, ['generate', '--output', outDir], { cwd: protos, stdio: 'inherit' });
}

if (!check) {
  const tmp = mkdtempSync(join(tmpdir(), 'tabagent-gen-'));
  generate(tmp);
  rmSync(committed, { recursive: true, force: true });
  cpSync(join(tmp, 'src', 'generated'), committed, { recursive: true });
  rmSync(tmp, { recursive: true, force: true });
  console.log(`generated ${listFiles(committed).length} files into protos/src/generated`);
} else {
  const tmp = mkdtempSync(join(tmpdir(), 'tabagent-gen-'));
  try {
    generate(tmp);
    const fresh = join(tmp, 'src', 'generated');
    const a = listFiles(fresh).map((f) => relative(fresh, f)).sort();
    const b = listFiles(committed).map((f) => relative(committed, f)).sort();
    const stale = [];
    for (const f of new Set([...a, ...b])) {
      const x = a.includes(f) ? readFileSync(join(fresh, f), 'utf8') : null;
      const y = b.includes(f) ? readFileSync(join(committed, f), 'utf8') : null;
      if (x !== y) stale.push(f);
    }
    if (stale.length > 0) {
      console.error(`generated code is stale (run "npm run gen"): ${stale.join(', ')}`);
      process.exit(1);
    }
    console.log(`generated code is up to date (${a.length} files)`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
