// soak — mixed traffic (DetectFaces through shared memory and in the message, Track, Embed,
// Generate, HTTP chat streaming and embeddings) against a real tabagent-server for --minutes while
// its ML child is SIGKILLed every --kill-every seconds and SIGSTOPped once (a hang the supervisor's
// liveness check must catch). Prints RSS of the supervisor and the child every --row-every seconds,
// then the faults, every call by workload and status, and the targets; exits 1 when one is missed.
import { writeFileSync, rmSync } from 'node:fs';
import { credentials, Metadata, type ServiceError } from '@grpc/grpc-js';
import { grpcChannelOptions } from '@tabagent/common';
import { ModelManagementClient, type GetRuntimeStatusResponse } from '@tabagent/protos/v1/model_management';
import { startBenchServer } from './bench-support/server.js';
import { benchShmDir } from './bench-vision-shm.js';
import { SOAK_HELP, parseSoakArgs } from './load/soak/args.js';
import { faultSchedule, inject, resume, type ChildControl, type FaultResult } from './load/soak/faults.js';
import { Tally } from './load/soak/outcome.js';
import { ROW_HEADER, formatFinal, formatRow } from './load/soak/report.js';
import { rssBytes, type RssSample } from './load/soak/rss.js';
import { evaluateTargets } from './load/soak/targets.js';
import { startTraffic } from './load/soak/traffic.js';
import { buildWorkloads } from './load-workloads.js';

/** Workers per workload in the mix (9 calls in flight). */
const MIX: Readonly<Record<string, number>> = { 'detect-shm': 2, 'detect-inline': 1, track: 1, embed: 2, generate: 1, 'http-chat': 1, 'http-embed': 1 };
/** A deadline above the hang timeout (5 s) plus a restart and model reload, so a call can outlive a hang. */
const DEADLINE_MS = 30_000;
/** The supervisor's --hang-timeout-ms (its default), and how long after a SIGSTOP the stopped child must be killed. */
const HANG_TIMEOUT_MS = 5000;
const HANG_LIMIT_MS = HANG_TIMEOUT_MS + 5000;
const RSS_EVERY_S = 5;
const CHILD_SETTLE_S = 15;
const TOLERANCE = 0.1;

function control(models: ModelManagementClient): ChildControl {
  return {
    status: () => new Promise((resolve, reject) => models.getRuntimeStatus({}, new Metadata(), { deadline: new Date(Date.now() + 2000) },
      (err: ServiceError | null, r: GetRuntimeStatusResponse) => (err ? reject(err) : resolve({ state: r.state, pid: r.runtime?.pid || undefined, restarts: r.restarts })))),
  };
}

async function main(): Promise<void> {
  const args = parseSoakArgs(process.argv.slice(2), process.env);
  if (args.help) {
    console.log(SOAK_HELP);
    return;
  }
  const durationS = args.minutes * 60;
  const shmDir = benchShmDir();
  const server = await startBenchServer(['--shm-dir', shmDir, '--keep-alive', '-1', '--hang-timeout-ms', String(HANG_TIMEOUT_MS)]);
  const models = new ModelManagementClient(server.address, credentials.createInsecure(), grpcChannelOptions());
  const child = control(models);
  const stopped = new Set<number>();
  const tally = new Tally();
  const rss: RssSample[] = [];
  const faults: FaultResult[] = [];
  let restarts = 0;
  try {
    const set = await buildWorkloads(server, Object.keys(MIX), { tokens: 16, deadlineMs: DEADLINE_MS, shmDir });
    const traffic = await startTraffic([...set.byName.values()].map((workload) => ({ workload, workers: MIX[workload.name] ?? 1 })), tally, args.thinkMs);
    const t0 = performance.now();
    const nowS = (): number => (performance.now() - t0) / 1000;
    console.log(`soak: ${args.minutes} min of mixed traffic (${Object.entries(MIX).map(([w, n]) => `${w}×${n}`).join(' ')}), SIGKILL every ${args.killEveryS} s, one SIGSTOP`);
    console.log(ROW_HEADER);
    const sampler = (async () => {
      let ok = 0;
      let failed = 0;
      let nextRow = 0;
      while (nowS() < durationS) {
        const st = await child.status().catch(() => undefined);
        if (st) restarts = st.restarts;
        const s: RssSample = { t: nowS(), supervisor: rssBytes(server.proc.pid!), childPid: st?.pid, child: st?.pid === undefined ? undefined : rssBytes(st.pid) };
        rss.push(s);
        if (s.t >= nextRow) {
          console.log(formatRow({ ...s, restarts, ok: traffic.okCalls() - ok, failed: traffic.failedCalls() - failed }));
          ok = traffic.okCalls();
          failed = traffic.failedCalls();
          nextRow += args.rowEveryS;
        }
        await new Promise((r) => setTimeout(r, Math.max(0, Math.min(RSS_EVERY_S, durationS - nowS()) * 1000)));
      }
    })();
    for (const f of faultSchedule(durationS, args.killEveryS)) {
      await new Promise((r) => setTimeout(r, Math.max(0, (f.atS - nowS()) * 1000)));
      const r = await inject(f, child, nowS, 60_000, stopped);
      if (r) faults.push(r);
      else console.log(`${nowS().toFixed(0)} s: no ready child to ${f.kind}`);
    }
    await sampler;
    await traffic.stop();
    await set.close();
  } finally {
    resume(stopped);
    models.close();
    await server.stop();
    rmSync(shmDir, { recursive: true, force: true });
  }
  const u = tally.unary();
  const targets = evaluateTargets({
    lost: u.lost.length, unaryCalls: u.calls, rss, faults,
    warmupS: Math.min(120, durationS / 4), settleS: CHILD_SETTLE_S, tolerance: TOLERANCE, hangLimitMs: HANG_LIMIT_MS,
  });
  console.log(formatFinal(faults, tally, targets).join('\n'));
  console.log(`restarts reported by the supervisor: ${restarts}`);
  if (args.json) writeFileSync(args.json, `${JSON.stringify({ args, rss, faults, restarts, codes: Object.fromEntries([...tally.codes()].map(([w, c]) => [w, Object.fromEntries(c)])), targets }, null, 2)}\n`);
  if (targets.some((t) => !t.met)) process.exitCode = 1;
}

main().catch((err: unknown) => {
  process.stderr.write(`soak failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(2);
});
