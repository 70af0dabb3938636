// bench:http — the OpenAI-compatible HTTP API against gRPC on ONE tabagent-server: embeddings/s
// (POST /v1/embeddings vs Text.Embed) and chat tokens/s (POST /v1/chat/completions streamed and not
// vs Text.Chat, stories260K greedy with a fixed maximum of new tokens) at each concurrency level, and
// HTTP/gRPC for each (target ≥ 0.9). The measured time of every level is cut into rounds, and each
// round runs every workload once in a rotating order, so drift (other load, thermal) hits HTTP and
// gRPC alike. Every answer is checked (vector dimensions; chat text and token count equal to one
// reference gRPC reply), and a pair with failed calls counts as missed. Beside each rate it prints the
// CPU per call of the supervisor process and of this client: the client shares the cores with the
// server, so a ratio can come from either side, and the two columns tell which.
import { credentials } from '@grpc/grpc-js';
import { grpcChannelOptions } from '@tabagent/common';
import { TextClient } from '@tabagent/protos/v1/text';
import { cpuMs, ownCpuMs } from './bench-support/cpu.js';
import { startBenchServer } from './bench-support/server.js';
import { figure, printSummary, type Figure } from './bench-support/summary.js';
import { parseHttpBenchArgs, HTTP_BENCH_HELP } from './bench-http-args.js';
import { errorCounts } from './load/percentiles.js';
import { runLevel } from './load/scheduler.js';
import type { Sample, Workload } from './load/types.js';
import { chatWorkload, grpcChat } from './load/workloads/chat.js';
import { httpChatOnceWorkload, httpChatWorkload, httpEmbedWorkload } from './load/workloads/http.js';
import { embedWorkload } from './load/workloads/text.js';
import { EMBED_DIMENSIONS, EMBED_MODEL, loadModels, TEXT_MODEL } from './load-workloads.js';

const TARGET = 0.9;
const DEADLINE_MS = 60_000;
const WARMUP_MS = 300;

/** One HTTP/gRPC comparison: which workloads, and what is counted (calls or generated tokens). */
interface Pair {
  readonly metric: string;
  readonly http: Workload;
  readonly grpc: Workload;
  readonly count: 'calls' | 'tokens';
}

/** What one workload measured at one level, over all its rounds. */
class Tally {
  readonly samples: Sample[] = [];
  seconds = 0;
  /** Every call made (warm-up included) and the CPU the supervisor process (not its ML child) and this client spent on them. */
  calls = 0;
  serverCpuMs = 0;
  clientCpuMs = 0;

  /** CPU ms per call of the supervisor and of this client, as "2.41 / 1.20" ("-" off Linux). */
  cpuPerCall(): string {
    if (this.calls === 0 || !Number.isFinite(this.serverCpuMs)) return '-';
    return `${(this.serverCpuMs / this.calls).toFixed(2)} / ${(this.clientCpuMs / this.calls).toFixed(2)}`;
  }

  rate(count: Pair['count']): number {
    const ok = this.samples.filter((s) => s.ok);
    return (count === 'calls' ? ok.length : ok.reduce((a, s) => a + (s.tokens ?? 0), 0)) / this.seconds;
  }

  failed(): number {
    return this.samples.filter((s) => !s.ok).length;
  }
}

/** Runs every workload at `concurrency` for `rounds` rounds of `roundMs`, rotating the order each round; `serverPid`'s CPU is counted. */
async function measureLevel(workloads: readonly Workload[], concurrency: number, rounds: number, roundMs: number, serverPid: number): Promise<Map<Workload, Tally>> {
  const tallies = new Map(workloads.map((w) => [w, new Tally()]));
  const opened = await Promise.all(workloads.map((w) => w.open(concurrency)));
  try {
    for (let r = 0; r < rounds; r++) {
      for (let k = 0; k < workloads.length; k++) {
        const i = (k + r) % workloads.length;
        const t = tallies.get(workloads[i]!)!;
        const inner = opened[i]!.call;
        const server0 = cpuMs(serverPid) ?? NaN;
        const client0 = ownCpuMs();
        const run = await runLevel((worker) => {
          t.calls += 1;
          return inner(worker);
        }, { concurrency, windowMs: roundMs, maxWindows: 1, stableCount: 1, tolerance: 1, warmupMs: WARMUP_MS });
        t.serverCpuMs += (cpuMs(serverPid) ?? NaN) - server0;
        t.clientCpuMs += ownCpuMs() - client0;
        t.samples.push(...run.counted);
        t.seconds += run.countedSeconds;
      }
      process.stderr.write(`×${concurrency}: round ${r + 1}/${rounds} done\n`);
    }
  } finally {
    await Promise.all(opened.map((o) => o.close()));
  }
  return tallies;
}

/** The failures of a tally as "CODE×n" (with the first message), or "" when none. */
function failures(t: Tally): string {
  const counts = errorCounts(t.samples);
  const first = t.samples.find((s) => !s.ok)?.message;
  const list = Object.entries(counts).map(([c, n]) => `${c}×${n}`).join(' ');
  return list === '' ? '' : `${list}${first ? ` (${first})` : ''}`;
}

async function main(): Promise<void> {
  const args = parseHttpBenchArgs(process.argv.slice(2), process.env);
  if (args.help) {
    console.log(HTTP_BENCH_HELP);
    return;
  }
  const server = await startBenchServer(['--keep-alive', '-1']);
  const figures: Figure[] = [];
  const lines: string[] = [];
  try {
    const httpUrl = server.httpUrl;
    if (httpUrl === undefined) throw new Error('tabagent-server did not log its HTTP listener');
    await loadModels(server.address, [...(args.only.includes('embeddings') ? [EMBED_MODEL] : []), ...(args.only.includes('chat') ? [TEXT_MODEL] : [])]);
    const pairs: Pair[] = [];
    if (args.only.includes('embeddings')) {
      pairs.push({ metric: 'embeddings/s', http: httpEmbedWorkload(httpUrl, EMBED_MODEL, EMBED_DIMENSIONS, DEADLINE_MS, args.httpClient), grpc: embedWorkload(server.address, EMBED_MODEL, EMBED_DIMENSIONS, DEADLINE_MS), count: 'calls' });
    }
    if (args.only.includes('chat')) {
      const client = new TextClient(server.address, credentials.createInsecure(), grpcChannelOptions());
      const want = await grpcChat(client, TEXT_MODEL, args.tokens, DEADLINE_MS).finally(() => client.close());
      if (!(want.tokens >= 1)) throw new Error(`the reference Text.Chat reply has no tokens (${want.tokens})`);
      process.stderr.write(`reference reply: ${want.tokens} tokens, ${JSON.stringify(want.text.slice(0, 60))}…\n`);
      const grpcChatW = chatWorkload(server.address, TEXT_MODEL, args.tokens, want, DEADLINE_MS);
      pairs.push(
        { metric: 'chat tokens/s stream', http: httpChatWorkload(httpUrl, TEXT_MODEL, args.tokens, DEADLINE_MS, want, args.httpClient), grpc: grpcChatW, count: 'tokens' },
        { metric: 'chat tokens/s no stream', http: httpChatOnceWorkload(httpUrl, TEXT_MODEL, args.tokens, want, DEADLINE_MS, args.httpClient), grpc: grpcChatW, count: 'tokens' },
      );
    }
    const workloads = [...new Set(pairs.flatMap((p) => [p.http, p.grpc]))];
    try {
      const roundMs = (args.seconds * 1000) / args.rounds;
      lines.push(`${'metric'.padEnd(24)} ${'conc'.padStart(4)} ${'HTTP'.padStart(9)} ${'gRPC'.padStart(9)} ${'HTTP/gRPC'.padStart(9)}  target         CPU ms/call supervisor / client: HTTP, gRPC`);
      for (const concurrency of args.levels) {
        const tallies = await measureLevel(workloads, concurrency, args.rounds, roundMs, server.proc.pid!);
        for (const p of pairs) {
          const h = tallies.get(p.http)!;
          const g = tallies.get(p.grpc)!;
          const ratio = h.rate(p.count) / g.rate(p.count);
          const clean = h.failed() === 0 && g.failed() === 0;
          const met = clean && ratio >= TARGET;
          lines.push(`${p.metric.padEnd(24)} ${String(concurrency).padStart(4)} ${h.rate(p.count).toFixed(1).padStart(9)} ${g.rate(p.count).toFixed(1).padStart(9)} ${ratio.toFixed(3).padStart(9)}  ≥ ${TARGET} ${(met ? 'met' : 'MISSED').padEnd(6)}  ${h.cpuPerCall().padStart(11)}, ${g.cpuPerCall()}`);
          for (const [side, t] of [['HTTP', h], ['gRPC', g]] as const) {
            const f = failures(t);
            if (f !== '') lines.push(`    ${side} failed calls: ${f}`);
          }
          figures.push(figure(`${p.metric} HTTP @${concurrency}`, h.rate(p.count), '/s'));
          figures.push(figure(`${p.metric} gRPC @${concurrency}`, g.rate(p.count), '/s'));
          figures.push(figure(`${p.metric} HTTP/gRPC @${concurrency}`, ratio, '×', { text: `≥ ${TARGET}`, met }));
        }
      }
    } finally {
      await Promise.all(workloads.map((w) => w.close()));
    }
  } finally {
    await server.stop();
  }
  console.log(lines.join('\n'));
  console.log(`\n${args.rounds} rounds of ${(args.seconds / args.rounds).toFixed(1)} s per workload and level (after a ${WARMUP_MS} ms warm-up each), `
    + `HTTP and gRPC alternating; chat: ≤${args.tokens} greedy tokens of ${TEXT_MODEL}, embeddings: ${EMBED_MODEL}, one sentence per call; `
    + `HTTP by ${args.httpClient === 'keepalive' ? 'a node:http keep-alive Agent' : 'fetch'}, gRPC by one grpc-js channel.`);
  printSummary('http', figures);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:http failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
