// --ml-endpoint in mode supervisor: repeated and comma-separated values make one list, the
// environment fallback takes a comma-separated list, and an endpoints file alone is enough.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseConfig } from './config.js';

const secret = { TABAGENT_ML_SECRET: 's' };

describe('--ml-endpoint', () => {
  it('takes several nodes, repeated and comma-separated, and dns:/// names', () => {
    const c = parseConfig(['--mode', 'supervisor', '--ml-endpoint', '10.0.0.1:50052, 10.0.0.2:50052', '--ml-endpoint', 'dns:///tabagent-ml:50052'], undefined, secret);
    assert.deepEqual(c.mlEndpoints, ['10.0.0.1:50052', '10.0.0.2:50052', 'dns:///tabagent-ml:50052']);
    assert.equal(c.mlResolveIntervalMs, 5000);
    assert.ok(Object.isFrozen(c.mlEndpoints));
  });

  it('falls back to TABAGENT_ML_ENDPOINT; an endpoints file alone is enough; neither is an error', () => {
    const saved = process.env['TABAGENT_ML_ENDPOINT'];
    process.env['TABAGENT_ML_ENDPOINT'] = 'a:1,b:2';
    try {
      assert.deepEqual(parseConfig(['--mode', 'supervisor'], undefined, secret).mlEndpoints, ['a:1', 'b:2']);
    } finally {
      if (saved === undefined) delete process.env['TABAGENT_ML_ENDPOINT'];
      else process.env['TABAGENT_ML_ENDPOINT'] = saved;
    }
    const f = parseConfig(['--mode', 'supervisor', '--ml-endpoints-file', '/etc/tabagent/nodes', '--ml-resolve-interval-ms', '250'], undefined, secret);
    assert.deepEqual([f.mlEndpoints, f.mlEndpointsFile, f.mlResolveIntervalMs], [[], '/etc/tabagent/nodes', 250]);
    const stderr = process.stderr.write;
    process.stderr.write = () => true;
    try {
      assert.throws(() => parseConfig(['--mode', 'supervisor'], undefined, secret), /--ml-endpoint.*--ml-endpoints-file/);
    } finally {
      process.stderr.write = stderr;
    }
  });

  it('--ml-dns-server takes IP:PORT (env TABAGENT_ML_DNS_SERVER) and refuses anything else, naming the flag', () => {
    const base = ['--mode', 'supervisor', '--ml-endpoint', 'dns:///tabagent-ml:50052'];
    assert.equal(parseConfig(base, undefined, secret).mlDnsServer, '');
    assert.equal(parseConfig([...base, '--ml-dns-server', '10.96.0.10:53'], undefined, secret).mlDnsServer, '10.96.0.10:53');
    assert.equal(parseConfig([...base, '--ml-dns-server', '[fd00::a]:5353'], undefined, secret).mlDnsServer, '[fd00::a]:5353');
    const stderr = process.stderr.write;
    process.stderr.write = () => true;
    try {
      for (const bad of ['kube-dns:53', '10.96.0.10', '10.96.0.10:0', '10.96.0.10:70000']) {
        assert.throws(() => parseConfig([...base, '--ml-dns-server', bad], undefined, secret), /--ml-dns-server must be IP:PORT/, bad);
      }
    } finally {
      process.stderr.write = stderr;
    }
  });
});
