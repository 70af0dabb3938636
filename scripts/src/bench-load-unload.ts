// bench:load-unload — 50 LoadModel/UnloadModel cycles of one model through a real tabagent-server,
// printing the ML child's RSS (ModelManagement.GetRuntimeStatus) before the first load, after the
// first cycle (runtime initialised), after every 10 cycles and at the end. Growth is judged from
// cycle 10 (allocator and GC warmed up) to the end, and reported from cycle 1 as well.
import { credentials, Metadata, type ServiceError } from '@grpc/grpc-js';
import { grpcChannelOptions } from '@tabagent/common';
import {
  ModelManagementClient, ModelState, type GetRuntimeStatusRequest, type GetRuntimeStatusResponse, type LoadModelRequest, type LoadModelResponse,
  type UnloadModelRequest, type UnloadModelResponse,
} from '@tabagent/protos/v1/model_management';
import { startBenchServer } from './bench-support/server.js';
import { growthPercent, median, mib, num } from './bench-support/stats.js';
import { figure, printSummary } from './bench-support/summary.js';

const MODEL = process.env['BENCH_MODEL'] ?? 'mediapipe/face-mesh';
const CYCLES = Number(process.env['BENCH_CYCLES'] ?? 50);
const TARGET_PERCENT = 10;

type Unary<Req, Res> = (req: Req, meta: Metadata, opts: { deadline: Date }, cb: (err: ServiceError | null, res: Res) => void) => unknown;

function rpc<Req, Res>(client: ModelManagementClient, fn: Unary<Req, Res>, req: Req): Promise<Res> {
  return new Promise((resolve, reject) => {
    fn.call(client, req, new Metadata(), { deadline: new Date(Date.now() + 120_000) }, (err, res) => (err ? reject(err) : resolve(res)));
  });
}

async function childRss(client: ModelManagementClient): Promise<{ rss: number; heap: number; pid: number; models: number }> {
  const st = await rpc<GetRuntimeStatusRequest, GetRuntimeStatusResponse>(client, client.getRuntimeStatus, {});
  if (!st.runtime) throw new Error(`no runtime status (child state ${st.state})`);
  return { rss: st.runtime.rssBytes, heap: st.runtime.heapUsedBytes, pid: st.runtime.pid, models: st.runtime.models.length };
}

async function main(): Promise<void> {
  const server = await startBenchServer(['--keep-alive', '-1']);
  const client = new ModelManagementClient(server.address, credentials.createInsecure(), grpcChannelOptions());
  try {
    const start = await childRss(client);
    const rows: Array<{ cycle: number; label: string; rss: number; heap: number }> = [{ cycle: 0, label: 'start (nothing loaded)', rss: start.rss, heap: start.heap }];
    const loadMs: number[] = [];
    const unloadMs: number[] = [];
    for (let cycle = 1; cycle <= CYCLES; cycle++) {
      let t0 = performance.now();
      const loaded = await rpc<LoadModelRequest, LoadModelResponse>(client, client.loadModel, { model: MODEL, options: { devices: [], threads: 1, keepAliveSeconds: -1 } });
      loadMs.push(performance.now() - t0);
      if (loaded.model?.state !== ModelState.MODEL_STATE_READY) throw new Error(`cycle ${cycle}: ${MODEL} is ${loaded.model?.state}: ${loaded.model?.lastError}`);
      t0 = performance.now();
      await rpc<UnloadModelRequest, UnloadModelResponse>(client, client.unloadModel, { model: MODEL });
      unloadMs.push(performance.now() - t0);
      if (cycle === 1 || cycle % 10 === 0 || cycle === CYCLES) {
        const now = await childRss(client);
        if (now.pid !== start.pid) throw new Error(`the ML child changed (pid ${start.pid} → ${now.pid}); RSS is not comparable`);
        if (now.models !== 0) throw new Error(`cycle ${cycle}: ${now.models} models still loaded after unload`);
        rows.push({ cycle, label: `after cycle ${cycle}`, rss: now.rss, heap: now.heap });
      }
    }
    const end = rows.at(-1)!;
    const first = rows.find((r) => r.cycle === 1)!;
    const warm = rows.find((r) => r.cycle === Math.min(10, CYCLES))!;
    console.log(`${MODEL}: ${CYCLES} LoadModel/UnloadModel cycles through tabagent-server; ML child (pid ${start.pid})`);
    for (const r of rows) console.log(`  ${r.label.padEnd(24)} RSS ${num(r.rss / (1 << 20), 1, 7)} MiB   JS heap ${num(r.heap / (1 << 20), 1, 6)} MiB`);
    console.log(`  median load ${num(median(loadMs), 1, 6)} ms, median unload ${num(median(unloadMs), 1, 6)} ms (first load ${num(loadMs[0]!, 0, 5)} ms)`);
    const growth = growthPercent(warm.rss, end.rss);
    const perCycle = end.cycle > warm.cycle ? (end.rss - warm.rss) / 1024 / (end.cycle - warm.cycle) : 0;
    console.log(`  RSS growth cycle ${warm.cycle} → ${end.cycle}: ${growth.toFixed(1)}% (${mib(end.rss - warm.rss)} MiB, ${perCycle.toFixed(1)} KiB/cycle; target < ${TARGET_PERCENT}%)`);
    console.log(`  RSS growth cycle 1 → ${end.cycle}: ${growthPercent(first.rss, end.rss).toFixed(1)}%; start → end: ${growthPercent(start.rss, end.rss).toFixed(1)}% (includes initialising the runtime)`);
    printSummary('load-unload', [figure(`child RSS growth cycle ${warm.cycle} → ${end.cycle}`, growth, '%', { text: `< ${TARGET_PERCENT}%`, met: growth < TARGET_PERCENT }),
      figure('median load', median(loadMs), 'ms'), figure('median unload', median(unloadMs), 'ms')]);
  } finally {
    client.close();
    await server.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:load-unload failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
