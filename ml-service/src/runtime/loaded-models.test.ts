// Which intra-op thread count a model is loaded with: request, then --threads, then the model's own
// params.threads, then the runtime default; checked on resolveThreads and on what a loader receives.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLogger } from '@tabagent/common';
import type { ModelManifest } from '@tabagent/protos/v1/runtime';
import type { RuntimeLoader } from './loaded-model.js';
import { LoadedModels, resolveThreads } from './loaded-models.js';

describe('resolveThreads', () => {
  it('prefers the request, then the process default, then params.threads, else 0', () => {
    assert.equal(resolveThreads(3, 2, { threads: 1 }), 3);
    assert.equal(resolveThreads(0, 2, { threads: 1 }), 2);
    assert.equal(resolveThreads(undefined, 0, { threads: 1 }), 1);
    assert.equal(resolveThreads(0, 0, {}), 0);
  });

  it('ignores a params.threads that is not a positive integer', () => {
    for (const bad of [0, -1, 1.5, '1', null]) assert.equal(resolveThreads(0, 0, { threads: bad }), 0, String(bad));
  });
});

describe('LoadedModels thread counts', () => {
  const manifest = (model: string, params: object, threads = 0): ModelManifest => ({
    model, task: 'face-detection', runtime: 'fake', files: [], paramsJson: JSON.stringify(params),
    options: { devices: [], threads, keepAliveSeconds: 0 },
  });

  it('hands the resolved count to the loader', async () => {
    const seen = new Map<string, number>();
    const loader: RuntimeLoader = {
      runtime: 'fake',
      load: (m, _params, _read, _plan, threads) => {
        seen.set(m.model, threads);
        return Promise.resolve({ handle: { kind: 'fake', dispose: () => Promise.resolve() }, provider: 'cpu', warnings: [] });
      },
    };
    const loadedModels = new LoadedModels({
      loaders: [loader], defaultThreads: 0, log: createLogger({ proc: 'test', level: 'silent' }),
      fileReader: () => () => Promise.reject(new Error('no files')),
    });
    await loadedModels.load(manifest('small', { threads: 1 }));
    await loadedModels.load(manifest('asked', { threads: 1 }, 2));
    await loadedModels.load(manifest('plain', {}));
    assert.deepEqual(Object.fromEntries(seen), { small: 1, asked: 2, plain: 0 });
  });
});
