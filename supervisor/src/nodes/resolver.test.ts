// Unit tests of the endpoint list: parsing (addresses, dns:///name:port, bad input naming the flag)
// and EndpointResolver with an injected DNS resolver and timer: pods behind a name come and go, a
// failed lookup keeps the last addresses, the endpoints file adds nodes, and unchanged lists are not reported.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import { joinHostPort, parseEndpoint, splitEndpoints } from './endpoints.js';
import { EndpointResolver } from './resolver.js';

const log = pino({ level: 'silent' });

describe('endpoint targets', () => {
  it('splits repeated and comma-separated values and parses each kind', () => {
    assert.deepEqual(splitEndpoints(['a:1, b:2', ' ', 'c:3']), ['a:1', 'b:2', 'c:3']);
    assert.deepEqual(parseEndpoint('10.0.0.5:50052'), { kind: 'address', address: '10.0.0.5:50052' });
    assert.deepEqual(parseEndpoint('unix:/run/ml.sock'), { kind: 'address', address: 'unix:/run/ml.sock' });
    assert.deepEqual(parseEndpoint('dns:///tabagent-ml:50052'), { kind: 'dns', host: 'tabagent-ml', port: 50052, server: '' });
    assert.deepEqual(parseEndpoint('dns://8.8.8.8/ml.default.svc:7'), { kind: 'dns', host: 'ml.default.svc', port: 7, server: '8.8.8.8:53' });
    assert.deepEqual(parseEndpoint('dns://10.96.0.10:5353/ml:7'), { kind: 'dns', host: 'ml', port: 7, server: '10.96.0.10:5353' });
    assert.deepEqual(parseEndpoint('dns://[fd00::a]/ml:7'), { kind: 'dns', host: 'ml', port: 7, server: '[fd00::a]:53' });
    assert.deepEqual(parseEndpoint('dns:[::1]:9'), { kind: 'dns', host: '::1', port: 9, server: '' });
    assert.equal(joinHostPort('fd00::3', 50052), '[fd00::3]:50052');
    assert.equal(joinHostPort('10.1.2.3', 50052), '10.1.2.3:50052');
  });

  it('refuses a target without a port, naming the flag', () => {
    for (const bad of ['tabagent-ml', 'dns:///tabagent-ml', 'dns:///ml:0', 'dns:///ml:99999', 'dns://kube-dns/ml:7', 'dns://10.0.0.1:0/ml:7']) {
      assert.throws(() => parseEndpoint(bad), (e: Error & { field?: string }) => e.field === 'ml-endpoint' && e.message.includes(bad), bad);
    }
  });
});

/** A resolver whose DNS answers and timer the test controls. */
function setup(endpoints: string[], file = '') {
  const answers = new Map<string, string[] | Error>();
  const seen: string[][] = [];
  let tick = (): void => undefined;
  const r = new EndpointResolver({
    endpoints, file, intervalMs: 1000, log, onChange: (a) => seen.push([...a]),
    resolve: async (host) => {
      const a = answers.get(host);
      if (a instanceof Error) throw a;
      return a ?? [];
    },
    every: (_ms, fn) => {
      tick = fn;
      return () => (tick = () => undefined);
    },
  });
  return { r, answers, seen, tick: async () => { tick(); await r.refresh(); } };
}

describe('EndpointResolver', () => {
  it('follows the pods behind a name as they come and go, and keeps them through a failed lookup', async () => {
    const { r, answers, seen, tick } = setup(['dns:///tabagent-ml:50052', '10.9.9.9:50052']);
    answers.set('tabagent-ml', ['10.0.0.2', '10.0.0.1']);
    await r.start();
    assert.deepEqual(seen, [['10.0.0.1:50052', '10.0.0.2:50052', '10.9.9.9:50052']]);
    await tick();
    assert.equal(seen.length, 1, 'an unchanged list is not reported again');
    answers.set('tabagent-ml', ['10.0.0.1', '10.0.0.2', 'fd00::7']);
    await tick();
    assert.deepEqual(seen.at(-1), ['10.0.0.1:50052', '10.0.0.2:50052', '10.9.9.9:50052', '[fd00::7]:50052']);
    answers.set('tabagent-ml', new Error('ESERVFAIL'));
    await tick();
    assert.equal(seen.length, 2, 'a DNS failure drops no node');
    answers.set('tabagent-ml', ['10.0.0.2']);
    await tick();
    assert.deepEqual(seen.at(-1), ['10.0.0.2:50052', '10.9.9.9:50052']);
    r.stop();
  });

  it('asks the DNS server a dns://SERVER/ target names, and the default resolver for the others', async () => {
    const asked: string[] = [];
    const seen: string[][] = [];
    const r = new EndpointResolver({
      endpoints: ['dns://10.96.0.10/ml:7', 'dns:///ml:8'], file: '', intervalMs: 1000, log, onChange: (a) => seen.push([...a]),
      resolve: async (host) => (asked.push(`default ${host}`), ['10.0.0.1']),
      serverResolver: (server) => async (host) => (asked.push(`${server} ${host}`), ['10.0.0.2']),
      every: () => () => undefined,
    });
    await r.start();
    assert.deepEqual(asked.sort(), ['10.96.0.10:53 ml', 'default ml']);
    assert.deepEqual(seen, [['10.0.0.1:8', '10.0.0.2:7']]);
    r.stop();
  });

  it('reads the endpoints file again at every refresh (comments and bad lines ignored)', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tabagent-endpoints-')), 'nodes');
    writeFileSync(file, '# nodes\n127.0.0.1:7001\n');
    const { r, seen, tick } = setup(['127.0.0.1:7000'], file);
    await r.start();
    assert.deepEqual(seen, [['127.0.0.1:7000', '127.0.0.1:7001']]);
    writeFileSync(file, '127.0.0.1:7001, 127.0.0.1:7002\nno-port\n');
    await tick();
    assert.deepEqual(seen.at(-1), ['127.0.0.1:7000', '127.0.0.1:7001', '127.0.0.1:7002']);
    writeFileSync(file, '');
    await tick();
    assert.deepEqual(seen.at(-1), ['127.0.0.1:7000']);
    r.stop();
  });
});
