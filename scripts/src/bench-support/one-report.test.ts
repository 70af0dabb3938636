import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { benchScripts, formatReport, type Machine } from './one-report.js';
import { SUMMARY_PREFIX, figure, parseSummary } from './summary.js';

describe('one report of every benchmark', () => {
  it('parses the last BENCH-SUMMARY line and ignores other output', () => {
    const line = `${SUMMARY_PREFIX}${JSON.stringify({ bench: 'files', figures: [figure('ratio', 0.912345, '×', { text: '≥ 0.5', met: true })] })}`;
    const s = parseSummary(`table…\n${SUMMARY_PREFIX}{"bench":"old","figures":[]}\n${line}\ntrailing\n`);
    assert.deepEqual(s, { bench: 'files', figures: [{ name: 'ratio', value: 0.9123, unit: '×', target: '≥ 0.5', met: true }] });
    assert.equal(parseSummary('no line here'), undefined);
    assert.equal(parseSummary(`${SUMMARY_PREFIX}{not json`), undefined);
  });

  it('finds the bench:* scripts, not bench itself, and filters by name', () => {
    const scripts = { build: 'tsc -b', bench: 'node all.js', 'bench:files': 'node f.js', 'bench:text': 'node t.js' };
    assert.deepEqual(benchScripts(scripts).map((b) => b.script), ['bench:files', 'bench:text']);
    assert.deepEqual(benchScripts(scripts, ['text']), [{ script: 'bench:text', command: 'node t.js' }]);
    assert.throws(() => benchScripts(scripts, ['vision']), /no script bench:vision in package\.json \(have files, text\)/);
  });

  it('prints the machine, every figure with its target, and failed benchmarks', () => {
    const machine: Machine = { cores: 2, cpuModel: 'Test CPU', node: 'v20.0.0', platform: 'linux-x64', loadAverage: 1.5 };
    const lines = formatReport(machine, [
      { script: 'bench:files', command: 'x', exitCode: 0, seconds: 10, summary: { bench: 'files', figures: [figure('ratio', 0.4, '×', { text: '≥ 0.5', met: false }), figure('rate', 900, 'MiB/s')] } },
      { script: 'bench:text', command: 'y', exitCode: 1, seconds: 3, summary: undefined },
    ]);
    assert.match(lines[0]!, /^2 cores, Test CPU, Node v20\.0\.0/);
    assert.match(lines[2]!, /^files\s+ratio\s+0\.4 ×\s+≥ 0\.5\s+MISSED$/);
    assert.match(lines[3]!, /^files\s+rate\s+900 MiB\/s\s*$/);
    assert.match(lines[4]!, /^text\s+FAILED \(exit 1\) after 3 s/);
    assert.equal(lines.at(-1), '2 benchmarks in 13 s; 1 failed; 1 targets missed');
  });
});
