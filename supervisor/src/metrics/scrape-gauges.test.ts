// Unit tests of the scrape-time gauges against fake nodes: a local child's RSS from /proc, a remote
// node's from its own report, the state gauge with one series per state, loaded model bytes replaced
// at each scrape, and embedding batch counts observed once (a node that fails to answer adds nothing).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RuntimeStatusResponse } from '@tabagent/protos/v1/runtime';
import { Metrics } from './metrics.js';
import { procRss, type NodeFacts } from './scrape-gauges.js';

const STATES = ['starting', 'ready', 'backoff', 'failed'];

function report(rssBytes: number, batches: RuntimeStatusResponse['embedBatches'], pid = 7): RuntimeStatusResponse {
  return { models: [], rssBytes, heapUsedBytes: 0, gpuMemoryBytes: undefined, runtimeVersions: {}, availableProviders: [], pid, uptimeSeconds: 1, embedBatches: batches };
}

/** The value of a gauge's series with exactly these labels. */
async function sample(m: Metrics, name: string, labels: Record<string, string>): Promise<number | undefined> {
  const json = await m.registry.getSingleMetric(name)?.get();
  return json?.values.find((v) => JSON.stringify(v.labels) === JSON.stringify(labels))?.value;
}

describe('scrape-time gauges', () => {
  it('reads RSS, states, loaded bytes and batch counts from the nodes at each scrape', async () => {
    const m = new Metrics();
    let batches = [{ model: 'use', size: 4, count: 2 }];
    let loaded = [{ id: 'a/b', bytes: 1234 }, { id: 'c/d', bytes: 99 }];
    const nodes: NodeFacts[] = [
      { node: 'local', state: 'ready', localPid: process.pid, status: async () => report(1, batches) },
      { node: '10.0.0.2:50052', state: 'backoff', localPid: undefined, status: async () => report(300_000_000, []) },
      { node: '10.0.0.3:50052', state: 'failed', localPid: undefined, status: async () => { throw new Error('down'); } },
    ];
    m.scrapeFrom({ childStates: STATES, nodes: () => nodes, loaded: () => loaded });
    const text = (await m.expose()).text;
    assert.match(text, /^tabagent_ml_child_state\{node="local",state="ready"\} 1$/m);
    assert.match(text, /^tabagent_ml_child_state\{node="local",state="backoff"\} 0$/m);
    assert.match(text, /^tabagent_ml_child_state\{node="10.0.0.3:50052",state="failed"\} 1$/m);
    const ownRss = await procRss(process.pid);
    assert.ok(ownRss !== undefined && ownRss > 10 * 1024 * 1024);
    const localRss = await sample(m, 'tabagent_ml_child_resident_memory_bytes', { node: 'local' });
    assert.ok(localRss !== undefined && Math.abs(localRss - ownRss) < 64 * 1024 * 1024, `local RSS ${localRss} (from /proc, not the report's 1)`);
    assert.equal(await sample(m, 'tabagent_ml_child_resident_memory_bytes', { node: '10.0.0.2:50052' }), 300_000_000);
    assert.equal(await sample(m, 'tabagent_ml_child_resident_memory_bytes', { node: '10.0.0.3:50052' }), undefined);
    assert.equal(await sample(m, 'tabagent_models_loaded', {}), 2);
    assert.equal(await sample(m, 'tabagent_model_loaded_bytes', { model: 'a/b' }), 1234);
    assert.match(text, /^tabagent_embedding_batch_size_count\{model="use"\} 2$/m);
    assert.match(text, /^tabagent_embedding_batch_size_sum\{model="use"\} 8$/m);
    // The next scrape adds only what grew, and forgets models no longer loaded.
    batches = [{ model: 'use', size: 4, count: 3 }];
    loaded = [{ id: 'c/d', bytes: 99 }];
    const next = (await m.expose()).text;
    assert.match(next, /^tabagent_embedding_batch_size_count\{model="use"\} 3$/m);
    assert.doesNotMatch(next, /tabagent_model_loaded_bytes\{model="a\/b"\}/);
    assert.match(next, /^tabagent_models_loaded 1$/m);
    assert.match(next, /^tabagent_supervisor_resident_memory_bytes \d{7,}$/m);
  });
});
