// Unit tests of GetRuntimeStatus over several nodes (fake nodes and links): every node is reported
// with its own Runtime.Status, a node that is down has none, a node whose status call fails is
// reported with the reason instead of failing the call, and the top-level fields sum the nodes up.
import assert from 'node:assert/strict';
import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { describe, it } from 'node:test';
import type { RuntimeStatusResponse } from '@tabagent/protos/v1/runtime';
import type { MlNode, NodeState } from './ml-node.js';
import { poolRuntimeStatus } from './pool-status.js';

function report(pid: number): RuntimeStatusResponse {
  return { models: [], rssBytes: pid * 10, heapUsedBytes: 0, gpuMemoryBytes: undefined, runtimeVersions: {}, availableProviders: ['cpu'], pid, uptimeSeconds: 1, embedBatches: [] };
}

/** A node whose link answers Runtime.Status with `answer` (an Error: the call fails). */
function node(id: string, state: NodeState, answer: RuntimeStatusResponse | Error | undefined, generation = 1, lastError = ''): MlNode {
  const lifecycleState = state === 'up' ? 'ready' : 'backoff';
  const link = answer === undefined ? undefined : {
    metadata: () => new Metadata(),
    runtime: {
      status: (_req: unknown, _m: Metadata, _o: unknown, cb: (e: ServiceError | null, r?: RuntimeStatusResponse) => void) => {
        if (answer instanceof Error) cb(Object.assign(answer, { code: status.DEADLINE_EXCEEDED, details: answer.message, metadata: new Metadata() }));
        else cb(null, answer);
      },
    },
  };
  return { id, state, lifecycle: { state: lifecycleState, generation, lastError, link } } as unknown as MlNode;
}

describe('poolRuntimeStatus', () => {
  it('reports every node; a down node has no runtime; a failed status read is named, not thrown', async () => {
    const nodes = [
      node('10.0.0.1:50052', 'down', undefined, 3, 'connection lost'),
      node('10.0.0.2:50052', 'up', report(202), 2),
      node('10.0.0.3:50052', 'up', new Error('deadline exceeded')),
    ];
    const st = await poolRuntimeStatus({ nodes: () => nodes });
    assert.deepEqual(st.nodes.map((n) => [n.node, n.nodeState, n.state, n.restarts, n.runtime?.pid]), [
      ['10.0.0.1:50052', 'down', 'backoff', 2, undefined],
      ['10.0.0.2:50052', 'up', 'ready', 1, 202],
      ['10.0.0.3:50052', 'up', 'ready', 0, undefined],
    ]);
    assert.equal(st.nodes[0]?.lastError, 'connection lost');
    assert.match(st.nodes[2]?.lastError ?? '', /^status not read: .*deadline exceeded/);
    assert.equal(st.state, 'ready', 'ready while a node is up');
    assert.equal(st.runtime?.pid, 202, 'the report of the first node that answered');
    assert.equal(st.restarts, 3);
    assert.match(st.lastError, /10\.0\.0\.1:50052: connection lost; 10\.0\.0\.3:50052: status not read/);
  });

  it('one node: exactly its report, and the one entry in nodes', async () => {
    const st = await poolRuntimeStatus({ nodes: () => [node('local', 'up', report(7), 2)] });
    assert.deepEqual([st.state, st.restarts, st.runtime?.pid, st.nodes.length, st.nodes[0]?.node], ['ready', 1, 7, 1, 'local']);
  });

  it('no node up: the first node state and no runtime', async () => {
    const st = await poolRuntimeStatus({ nodes: () => [node('a:1', 'down', undefined), node('b:1', 'joining', undefined)] });
    assert.deepEqual([st.state, st.runtime, st.nodes.length], ['backoff', undefined, 2]);
  });
});
