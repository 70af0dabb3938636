#!/usr/bin/env node
// Runs the compiled tests with node's test runner: unit tests next to the code in each workspace's
// dist/, end-to-end tests in tests/dist/. Usage: run-tests.mjs [--unit|--e2e] [name-filter]
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const unitOnly = args.includes('--unit');
const e2eOnly = args.includes('--e2e');
const filter = args.find((a) => !a.startsWith('--'));

function find(dir) {
  const out = [];
  let names = [];
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of names) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...find(p));
    else if (name.endsWith('.test.js')) out.push(p);
  }
  return out;
}

const unit = ['protos', 'common', 'converters', 'ml-service', 'supervisor', 'cli', 'scripts'].flatMap((w) => find(join(root, w, 'dist')));
const e2e = find(join(root, 'tests', 'dist'));
let files = unitOnly ? unit : e2eOnly ? e2e : [...unit, ...e2e];
if (filter) files = files.filter((f) => f.includes(filter));
if (files.length === 0) {
  console.error('no test files found (did the build run?)');
  process.exit(1);
}
console.log(`running ${files.length} test files`);
const res = spawnSync(process.execPath, [
  '--test', '--test-concurrency=2', '--test-timeout=600000', '--test-reporter=spec',
  ...files.map((f) => relative(root, f)),
], { cwd: root, stdio: 'inherit', env: { ...process.env, TABAGENT_REPO_ROOT: root } });
process.exit(res.status ?? 1);
