// Unit tests of the metrics' pure parts: token timing (one TTFT per stream, one inter-token latency
// per token after the first, counts at the end), cumulative batch reports turned into observations
// (a restarted node starts from zero), and Track kinds; checked through the registry's own output.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TrackTask } from '@tabagent/protos/v1/vision';
import { BatchDeltas } from './batch-deltas.js';
import { trackKind } from './frame-counts.js';
import { Metrics } from './metrics.js';
import { TokenTiming } from './token-timing.js';

async function values(m: Metrics, name: string): Promise<Map<string, number>> {
  const json = await m.registry.getSingleMetric(name)?.get();
  return new Map((json?.values ?? []).map((v) => [`${(v as { metricName?: string }).metricName ?? name}${JSON.stringify(v.labels)}`, v.value]));
}

describe('metrics', () => {
  it('times a token stream: TTFT once, K - 1 inter-token latencies shared within a message, counts at the end', async () => {
    let now = 1000;
    const observed: Array<[string, number]> = [];
    const series = {
      ttft: { observe: (v: number) => observed.push(['ttft', v]) }, itl: { observe: (v: number) => observed.push(['itl', v]) },
      prompt: { inc: (v: number) => observed.push(['prompt', v]) }, generated: { inc: (v: number) => observed.push(['generated', v]) },
    } as never;
    let asked = 0;
    const timing = new TokenTiming(() => { asked += 1; return series; }, 900, () => now);
    timing.message(0);
    timing.message(2);
    now = 1010;
    timing.message(1);
    now = 1030;
    timing.message(4);
    timing.message(0, { promptTokens: 1, completionTokens: 7 });
    assert.equal(asked, 1);
    assert.deepEqual(observed, [['ttft', 0.1], ['itl', 0], ['itl', 0.01], ['itl', 0.005], ['itl', 0.005], ['itl', 0.005], ['itl', 0.005], ['prompt', 1], ['generated', 7]]);
  });

  it('writes a stream\'s timing and counts into its labelled series', async () => {
    const m = new Metrics();
    const t = m.tokenTiming('grpc', 'Generate', () => 'karpathy/stories260K', performance.now());
    t.message(1);
    t.message(1, { promptTokens: 3, completionTokens: 2 });
    const labels = '{"surface":"grpc","method":"Generate","model":"karpathy/stories260K"}';
    assert.equal((await values(m, 'tabagent_time_to_first_token_seconds')).get(`tabagent_time_to_first_token_seconds_count${labels}`), 1);
    assert.equal((await values(m, 'tabagent_inter_token_latency_seconds')).get(`tabagent_inter_token_latency_seconds_count${labels}`), 1);
    assert.equal((await values(m, 'tabagent_generated_tokens_total')).get('tabagent_generated_tokens_total{"model":"karpathy/stories260K"}'), 2);
  });

  it('a stream whose model is unknown observes nothing', async () => {
    const m = new Metrics();
    const t = m.tokenTiming('http', 'Chat', () => undefined, 0);
    t.message(3, { promptTokens: 1, completionTokens: 3 });
    assert.equal((await values(m, 'tabagent_generated_tokens_total')).size, 0);
  });

  it('turns cumulative batch counts into observations of what grew; a new process starts from zero', () => {
    const d = new BatchDeltas();
    const seen: string[] = [];
    const obs = (model: string, size: number, times: number): void => void seen.push(`${model}:${size}x${times}`);
    d.apply('local', { pid: 10, uptimeSeconds: 5, embedBatches: [{ model: 'use', size: 3, count: 2 }] }, obs);
    d.apply('local', { pid: 10, uptimeSeconds: 6, embedBatches: [{ model: 'use', size: 3, count: 2 }, { model: 'use', size: 8, count: 1 }] }, obs);
    d.apply('local', { pid: 10, uptimeSeconds: 7, embedBatches: [{ model: 'use', size: 3, count: 5 }, { model: 'use', size: 8, count: 1 }] }, obs);
    d.apply('local', { pid: 11, uptimeSeconds: 1, embedBatches: [{ model: 'use', size: 3, count: 1 }] }, obs);
    d.apply('remote:1', { pid: 11, uptimeSeconds: 9, embedBatches: [{ model: 'use', size: 3, count: 4 }] }, obs);
    d.apply('remote:1', { pid: 11, uptimeSeconds: 2, embedBatches: [{ model: 'use', size: 3, count: 1 }] }, obs);
    assert.deepEqual(seen, ['use:3x2', 'use:8x1', 'use:3x3', 'use:3x1', 'use:3x4', 'use:3x1']);
  });

  it('names Track kinds after the TrackTask', () => {
    assert.equal(trackKind(TrackTask.TRACK_TASK_FACES), 'faces');
    assert.equal(trackKind(TrackTask.TRACK_TASK_FACE_MESH), 'face_mesh');
    assert.equal(trackKind(TrackTask.TRACK_TASK_OBJECTS), 'objects');
    assert.equal(trackKind(TrackTask.TRACK_TASK_UNSPECIFIED), 'unspecified');
    assert.equal(trackKind(99), 'unknown');
  });

  it('counts frames, pulls and conversions under their labels', async () => {
    const m = new Metrics();
    m.frames(TrackTask.TRACK_TASK_HANDS, 3, 2);
    m.frames(TrackTask.TRACK_TASK_HANDS, 1, 0);
    m.pulled('a/b', 100);
    m.pulled('a/b', 23);
    m.converted('tfjs-graph-to-onnx', 1.5);
    assert.equal((await values(m, 'tabagent_track_frames_processed_total')).get('tabagent_track_frames_processed_total{"kind":"hands"}'), 4);
    assert.equal((await values(m, 'tabagent_track_frames_dropped_total')).get('tabagent_track_frames_dropped_total{"kind":"hands"}'), 2);
    assert.equal((await values(m, 'tabagent_model_pull_bytes_total')).get('tabagent_model_pull_bytes_total{"model":"a/b"}'), 123);
    assert.equal((await values(m, 'tabagent_model_conversion_seconds')).get('tabagent_model_conversion_seconds_sum{"converter":"tfjs-graph-to-onnx"}'), 1.5);
  });
});
