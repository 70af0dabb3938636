import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { auditVerdict } from './verdict.js';

const report = (vulnerabilities: Record<string, unknown>, counts: Record<string, number>): string =>
  JSON.stringify({ auditReportVersion: 2, vulnerabilities, metadata: { vulnerabilities: counts, dependencies: { prod: 10 } } });

describe('npm audit --json verdict', () => {
  it('a clean report has counts and nothing blocking', () => {
    const v = auditVerdict(report({}, { info: 0, low: 0, moderate: 0, high: 0, critical: 0, total: 0 }));
    assert.deepEqual(v, { kind: 'report', counts: { info: 0, low: 0, moderate: 0, high: 0, critical: 0, total: 0 }, blocking: [] });
  });

  it('lists high and critical packages with their advisories, not moderate ones', () => {
    const v = auditVerdict(report({
      a: { name: 'a', severity: 'moderate', range: '<1', via: ['b'], fixAvailable: true },
      b: { name: 'b', severity: 'high', range: '<2.0.1', via: [{ title: 'Prototype pollution in b' }], fixAvailable: false },
      c: { name: 'c', severity: 'critical', range: '*', via: ['b'], fixAvailable: true },
    }, { moderate: 1, high: 1, critical: 1, total: 3 }));
    assert.equal(v.kind, 'report');
    if (v.kind !== 'report') return;
    assert.equal(v.counts['high'], 1);
    assert.deepEqual(v.blocking, [
      'b (high) <2.0.1: Prototype pollution in b; no fix available',
      'c (critical) *: b; fix: npm audit fix',
    ]);
  });

  it('a registry that refuses the advisory endpoint is no report, with the status and message', () => {
    const v = auditVerdict(JSON.stringify({ message: '405 Method Not Allowed - POST /-/npm/v1/security/advisories/bulk', method: 'POST', statusCode: 405, body: '', error: { summary: '', detail: '' } }));
    assert.deepEqual(v, { kind: 'no-report', reason: 'the registry did not answer the advisory endpoint (HTTP 405: 405 Method Not Allowed - POST /-/npm/v1/security/advisories/bulk)' });
  });

  it('output that is not JSON is no report, quoting the last lines of stderr', () => {
    const v = auditVerdict('', 'npm warn Unknown project config "x".\nnpm error code ENOTFOUND\nnpm error network request failed\n');
    assert.deepEqual(v, { kind: 'no-report', reason: 'npm audit printed no report: npm error code ENOTFOUND | npm error network request failed' });
  });
});
