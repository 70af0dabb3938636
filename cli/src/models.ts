// `tabagent models list|ps|pull|load|unload|show`: the ModelManagement service from the terminal.
import type { Command } from 'commander';
import { Device } from '@tabagent/protos/v1/common';
import { ModelInfo, ModelState, type PullProgress } from '@tabagent/protos/v1/model_management';
import type { Context } from './context.js';
import { formatBytes, formatSeconds, table } from './format.js';
import { intFlag } from './numbers.js';
import { PullProgressView } from './progress.js';

/** How a command gets its Context and prints. */
export interface Runner {
  run(fn: (ctx: Context) => Promise<void>): Promise<void>;
  out(text: string): void;
}

const stateName = (s: ModelState): string => ModelState[s]?.replace('MODEL_STATE_', '').toLowerCase() ?? String(s);
const deviceName = (d: Device): string => Device[d]?.replace('DEVICE_', '').toLowerCase() ?? '';

/** Rows of `models list`. */
export function listTable(models: readonly ModelInfo[]): string {
  return table(['ID', 'TASK', 'RUNTIME', 'STATE', 'SIZE'], models.map((m) => [m.id, m.task, m.runtime, stateName(m.state), m.sizeBytes ? formatBytes(Number(m.sizeBytes)) : '-']));
}

/** Rows of `models ps`, like `ollama ps`: loaded models, provider, memory, time loaded and until unload. */
export function psTable(models: readonly ModelInfo[], now = Date.now()): string {
  return table(['ID', 'PROVIDER', 'MEMORY', 'LOADED', 'UNTIL', 'PID'], models.map((m) => [
    m.id, m.executionProvider || deviceName(m.device) || '-', m.memoryBytes ? formatBytes(Number(m.memoryBytes)) : '-',
    m.loadedAtMs ? `${formatSeconds((now - Number(m.loadedAtMs)) / 1000)} ago` : '-',
    Number(m.expiresAtMs) > 0 ? `${formatSeconds((Number(m.expiresAtMs) - now) / 1000)} from now` : 'forever',
    m.childPid ? String(m.childPid) : '-',
  ]));
}

/** Key: value lines of `models show`. */
export function showText(m: ModelInfo): string {
  const rows: [string, string][] = [
    ['id', m.id], ['task', m.task], ['runtime', m.runtime], ['state', stateName(m.state)], ['source', m.source],
    ['size', m.sizeBytes ? formatBytes(Number(m.sizeBytes)) : '-'],
  ];
  if (m.executionProvider) rows.push(['provider', m.executionProvider]);
  if (m.memoryBytes) rows.push(['memory', formatBytes(Number(m.memoryBytes))]);
  if (m.childPid) rows.push(['pid', String(m.childPid)]);
  if (m.lastError) rows.push(['last error', m.lastError]);
  for (const w of m.warnings) rows.push(['warning', w]);
  return rows.map(([k, v]) => `${k.padEnd(10)} ${v}`).join('\n');
}

export function registerModels(program: Command, r: Runner): void {
  const models = program.command('models').description('list, pull, load and unload models');
  const json = (v: unknown): string => JSON.stringify(v, null, 2);
  models.command('list').description('every catalogued model').option('--json', 'print ModelInfo JSON').action((o: { json?: boolean }) => r.run(async (ctx) => {
    const res = await ctx.call(ctx.models, ctx.models.listModels, { loadedOnly: false });
    r.out(o.json ? json(res.models.map((m) => ModelInfo.toJSON(m))) : listTable(res.models));
  }));
  models.command('ps').description('loaded models: provider, memory, time until unload').option('--json', 'print ModelInfo JSON').action((o: { json?: boolean }) => r.run(async (ctx) => {
    const res = await ctx.call(ctx.models, ctx.models.listModels, { loadedOnly: true });
    r.out(o.json ? json(res.models.map((m) => ModelInfo.toJSON(m))) : psTable(res.models));
  }));
  models.command('show').argument('<id>', 'catalog id').description('everything the server knows about a model').option('--json', 'print ModelInfo JSON')
    .action((id: string, o: { json?: boolean }) => r.run(async (ctx) => {
      const m = await ctx.call(ctx.models, ctx.models.getModel, { model: id });
      r.out(o.json ? json(ModelInfo.toJSON(m)) : showText(m));
    }));
  models.command('load').argument('<id>', 'catalog id').description('pull if needed and load into the ML child')
    .option('--keep-alive <seconds>', 'seconds to stay loaded when idle (-1 forever)', intFlag(-1, 0x7fffffff)).option('--threads <n>', 'intra-op threads (0 = default)', intFlag(0, 1024), 0)
    .action((id: string, o: { keepAlive?: number; threads: number }) => r.run(async (ctx) => {
      const res = await ctx.call(ctx.models, ctx.models.loadModel, { model: id, options: { devices: [], threads: o.threads, keepAliveSeconds: o.keepAlive } });
      r.out(`loaded ${id} (${res.model?.executionProvider || 'cpu'}, ${formatBytes(Number(res.model?.memoryBytes ?? 0))})`);
    }));
  models.command('unload').argument('<id>', 'catalog id').description('unload from the ML child (files stay cached)')
    .action((id: string) => r.run(async (ctx) => {
      const res = await ctx.call(ctx.models, ctx.models.unloadModel, { model: id });
      r.out(`unloaded ${id} (${stateName(res.model?.state ?? ModelState.MODEL_STATE_UNSPECIFIED)})`);
    }));
  models.command('pull').argument('<id>', 'catalog id').description('fetch (and convert) a model into the server cache').option('--force', 'fetch again')
    .action((id: string, o: { force?: boolean }) => r.run((ctx) => pull(ctx, id, o.force === true)));
}

function pull(ctx: Context, id: string, force: boolean): Promise<void> {
  const view = new PullProgressView({ isTTY: process.stderr.isTTY === true, columns: process.stderr.columns, write: (t) => process.stderr.write(t) });
  return new Promise((resolve, reject) => {
    const stream = ctx.models.pullModel({ model: id, force }, ctx.metadata());
    stream.on('data', (p: PullProgress) => view.update(p));
    stream.on('error', (e) => {
      view.finish();
      reject(e);
    });
    stream.on('end', () => {
      view.finish();
      resolve();
    });
  });
}
