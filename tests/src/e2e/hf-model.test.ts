// End to end: an `hf:` catalog entry (from --catalog) pulled from a local server shaped like the
// Hugging Face hub (`/<repo>/resolve/<revision>/<path>`, reached through --hf-endpoint), verified by
// sha256, converted at pull time (llama2.c → transformers.js) and loaded READY on the ML child.
// A hub file that does not match its pinned sha256 fails the load with DATA_LOSS.
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { status } from '@grpc/grpc-js';
import { ERROR_CODE_KEY } from '@tabagent/common';
import { ModelState } from '@tabagent/protos/v1/model_management';
import { parseConfig } from '@tabagent/supervisor';
import { DEFAULT_ENTRIES } from '../../../supervisor/dist/store/catalog-defaults.js';
import { startModelServer, type ModelServer } from '../../../supervisor/dist/store/test-support/model-server.js';
import { call, connect, expectGrpcError, type PublicClients } from '../support/clients.js';
import { sharedDir } from '../support/paths.js';
import { startServer, tempDir, type ServerUnderTest } from '../support/server-process.js';

const HUB_MODEL = 'hub-test/stories260K';
const BAD_MODEL = 'hub-test/stories260K-bad-pin';
const REPO = 'karpathy/stories260K';

describe('hf: models through tabagent-server', () => {
  let hub: ModelServer;
  let server: ServerUnderTest;
  let c: PublicClients;
  let work = '';

  before(async () => {
    const entry = DEFAULT_ENTRIES.find((e) => e.id === 'karpathy/stories260K');
    assert.ok(entry, 'the default catalog has karpathy/stories260K');
    // The copies get new ids; the default entry's aliases stay with it (an alias names one model).
    const { aliases: _aliases, ...stories } = entry;
    hub = await startModelServer(join(sharedDir(), 'models', 'stories260K'));
    work = tempDir('tabagent-hf-');
    const badFiles = stories.files.map((f, i) => (i === 0 ? { ...f, sha256: '0'.repeat(64) } : f));
    const catalog = join(work, 'catalog.json');
    writeFileSync(catalog, JSON.stringify({
      models: [
        { ...stories, id: HUB_MODEL, source: `hf:${REPO}@main` },
        { ...stories, id: BAD_MODEL, source: `hf:${REPO}@main`, files: badFiles },
      ],
    }));
    server = await startServer({ args: ['--catalog', catalog, '--hf-endpoint', hub.endpoint, '--cache-dir', join(work, 'cache')] });
    c = connect(server.address);
  });

  after(async () => {
    c?.close();
    if (server) await server.stop('SIGTERM');
    await hub?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('takes the hub endpoint from --hf-endpoint or TABAGENT_HF_ENDPOINT (the flag wins)', () => {
    const saved = process.env['TABAGENT_HF_ENDPOINT'];
    try {
      delete process.env['TABAGENT_HF_ENDPOINT'];
      assert.equal(parseConfig([]).hfEndpoint, '');
      process.env['TABAGENT_HF_ENDPOINT'] = 'http://127.0.0.1:9/hub';
      assert.equal(parseConfig([]).hfEndpoint, 'http://127.0.0.1:9/hub');
      assert.equal(parseConfig(['--hf-endpoint', hub.endpoint]).hfEndpoint, hub.endpoint);
    } finally {
      if (saved === undefined) delete process.env['TABAGENT_HF_ENDPOINT'];
      else process.env['TABAGENT_HF_ENDPOINT'] = saved;
    }
  });

  it('pulls from the hub endpoint, converts, and loads READY', async () => {
    const before = await call(c.models, c.models.getModel, { model: HUB_MODEL });
    assert.equal(before.state, ModelState.MODEL_STATE_AVAILABLE);
    assert.equal(before.source, `hf:${REPO}@main`);
    const res = await call(c.models, c.models.loadModel, { model: HUB_MODEL, options: { devices: [], threads: 1, keepAliveSeconds: -1 } }, { timeoutMs: 120_000 });
    assert.equal(res.model?.state, ModelState.MODEL_STATE_READY, res.model?.lastError);
    assert.equal(res.model?.executionProvider, 'cpu');
    assert.equal(res.model?.childPid, server.childPids()[0]);
    // every file came from the hub-shaped URLs, once, in full
    const fetched = hub.requests.filter((r) => r.status === 200).map((r) => r.path).sort();
    assert.deepEqual(fetched, ['stories260K.bin', 'tok512.bin', 'tok512.model']);
    const st = await call(c.models, c.models.getRuntimeStatus, {});
    assert.equal(st.runtime?.models.find((m) => m.model === HUB_MODEL)?.runtime, 'transformers');
  });

  it('fails the load with DATA_LOSS when a hub file does not match its pinned sha256', async () => {
    const err = await expectGrpcError(call(c.models, c.models.loadModel, { model: BAD_MODEL, options: { devices: [], threads: 1 } }, { timeoutMs: 120_000 }));
    assert.equal(err.code, status.DATA_LOSS, `${status[err.code]}: ${err.details}`);
    assert.equal(err.metadata.get(ERROR_CODE_KEY)[0], 'TA_ERR_DATA_LOSS');
    assert.match(err.details, /stories260K\.bin/);
    const info = await call(c.models, c.models.getModel, { model: BAD_MODEL });
    assert.equal(info.state, ModelState.MODEL_STATE_FAILED);
  });
});
