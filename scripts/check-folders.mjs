#!/usr/bin/env node
// Folder-level import check (run by `npm run lint`). For every workspace package it reads the
// relative imports of the TypeScript sources under src/ (`import … from './x.js'`, `export … from`,
// `import('./x.js')`), maps each file to its folder and fails on
//   (a) a cycle between folders (A imports B and B imports A, directly or through other folders; a
//       folder and its parent or child are distinct folders), and
//   (b) a model folder directly under ml-service/src/vision/ importing another model folder, or a
//       shared vision folder importing a model folder. Model folders stand side by side and share
//       code only through the folders listed in VISION_SHARED_FOLDERS (and vision/ itself).
//
// Usage: node scripts/check-folders.mjs [--temporarily-allow-cycle=folderA,folderB,...]...
//                                      [--temporarily-allowed-cycles=file.json]
// A temporary allowance accepts a cycle whose folders are all in the given list (paths from the
// repository root; the JSON file holds {"cycles": [[folder, ...], ...]}); an allowed cycle is still
// printed as a warning so it stays visible until it is fixed.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, posix, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const VISION = 'ml-service/src/vision';
/** Folders under ml-service/src/vision/ that hold code shared by the model folders. */
const VISION_SHARED_FOLDERS = Object.freeze(['calculators', 'filters', 'image', 'shared', 'testing']);
const SKIP_DIRS = new Set(['node_modules', 'dist', 'generated']);

const toPosix = (p) => p.split(sep).join('/');

function parseArgs(argv) {
  const allowed = [];
  const folderSet = (list) => new Set(list.map((f) => f.trim().replace(/\/+$/, '')).filter(Boolean));
  for (const arg of argv) {
    const inline = /^--temporarily-allow-cycle=(.+)$/.exec(arg);
    const file = /^--temporarily-allowed-cycles=(.+)$/.exec(arg);
    if (inline) allowed.push(folderSet(inline[1].split(',')));
    else if (file) {
      const { cycles } = JSON.parse(readFileSync(resolve(ROOT, file[1]), 'utf8'));
      if (!Array.isArray(cycles)) throw new Error(`${file[1]}: expected {"cycles": [[folder, ...], ...]}`);
      for (const c of cycles) allowed.push(folderSet(c));
    } else {
      throw new Error(`unknown argument ${arg} (expected --temporarily-allow-cycle=folderA,folderB,... or --temporarily-allowed-cycles=file.json)`);
    }
  }
  return { allowed };
}

function workspaces() {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  return (pkg.workspaces ?? []).filter((w) => existsSync(join(ROOT, w, 'src')));
}

function* tsFiles(dir) {
  for (const name of readdirSync(dir)) {
    if (SKIP_DIRS.has(name)) continue;
    const full = join(dir, name);
    if (statSync(full).isDirectory()) yield* tsFiles(full);
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) yield full;
  }
}

const IMPORT_RE = /(?:^|[\s;}])(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\sfrom\s+)?['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

/** Relative specifiers imported by a source text (comments stripped first). */
export function relativeImports(text) {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
  const out = [];
  for (const m of code.matchAll(IMPORT_RE)) out.push(m[1] ?? m[2]);
  return out;
}

/** The repository-relative file an import names (`./x.js` is the source `./x.ts`). */
function resolveTarget(fromFile, spec) {
  const base = resolve(dirname(fromFile), spec);
  for (const candidate of [base.replace(/\.js$/, '.ts'), base, `${base}.ts`, join(base, 'index.ts')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return toPosix(relative(ROOT, candidate));
  }
  return toPosix(relative(ROOT, base));
}

/** folder → Map(target folder → first `file → target` import seen), over all workspaces. */
function folderGraph() {
  const graph = new Map();
  for (const ws of workspaces()) {
    for (const file of tsFiles(join(ROOT, ws, 'src'))) {
      const from = toPosix(relative(ROOT, file));
      const fromDir = posix.dirname(from);
      if (!graph.has(fromDir)) graph.set(fromDir, new Map());
      for (const spec of relativeImports(readFileSync(file, 'utf8'))) {
        const target = resolveTarget(file, spec);
        const toDir = posix.dirname(target);
        if (toDir === fromDir) continue;
        const edges = graph.get(fromDir);
        if (!edges.has(toDir)) edges.set(toDir, `${from} → ${target}`);
        if (!graph.has(toDir)) graph.set(toDir, new Map());
      }
    }
  }
  return graph;
}

/** Strongly connected components with more than one folder (Tarjan). */
function cycles(graph) {
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const found = [];
  let next = 0;
  const visit = (v) => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v).keys()) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v), index.get(w)));
      }
    }
    if (low.get(v) === index.get(v)) {
      const scc = [];
      let w;
      do {
        w = stack.pop();
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1) found.push(scc.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  return found;
}

/** One concrete loop through a component, as the imports that make it. */
function loopIn(graph, scc) {
  const members = new Set(scc);
  const start = scc[0];
  const parent = new Map([[start, undefined]]);
  const queue = [start];
  while (queue.length > 0) {
    const v = queue.shift();
    for (const w of graph.get(v).keys()) {
      if (!members.has(w)) continue;
      if (w === start) {
        const path = [];
        for (let u = v; u !== undefined; u = parent.get(u)) path.unshift(u);
        return path.map((u, i) => graph.get(u).get(path[i + 1] ?? start));
      }
      if (!parent.has(w)) {
        parent.set(w, v);
        queue.push(w);
      }
    }
  }
  return [];
}

/** The model folder (first segment under vision/) of a folder, or undefined outside vision's subfolders. */
function visionChild(folder) {
  if (!folder.startsWith(`${VISION}/`)) return undefined;
  return folder.slice(VISION.length + 1).split('/')[0];
}

function visionViolations(graph) {
  const out = [];
  for (const [from, edges] of graph) {
    const a = visionChild(from);
    if (a === undefined) continue;
    for (const [to, example] of edges) {
      const b = visionChild(to);
      if (b === undefined || b === a || VISION_SHARED_FOLDERS.includes(b)) continue;
      const kind = VISION_SHARED_FOLDERS.includes(a) ? 'shared vision folder' : 'model folder';
      out.push(`${kind} ${VISION}/${a}/ imports model folder ${VISION}/${b}/ (${example})`);
    }
  }
  return out.sort();
}

function main() {
  const { allowed } = parseArgs(process.argv.slice(2));
  const graph = folderGraph();
  const errors = [];
  const warnings = [];
  for (const scc of cycles(graph)) {
    const text = `folder cycle between ${scc.join(', ')}:\n    ${loopIn(graph, scc).join('\n    ')}`;
    if (allowed.some((set) => scc.every((f) => set.has(f)))) warnings.push(`temporarily allowed ${text}`);
    else errors.push(text);
  }
  errors.push(...visionViolations(graph));
  for (const w of warnings) console.warn(`check-folders: warning: ${w}`);
  if (errors.length > 0) {
    for (const e of errors) console.error(`check-folders: ${e}`);
    console.error(`check-folders: ${errors.length} problem(s) in ${graph.size} folders`);
    process.exit(1);
  }
  const note = warnings.length > 0 ? ` (${warnings.length} temporarily allowed cycle(s) above)` : '';
  console.log(`check-folders: ${graph.size} folders, no folder cycle${note}, vision model folders import only shared code`);
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
