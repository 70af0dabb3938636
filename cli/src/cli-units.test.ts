// Unit tests of the CLI's pure parts: MediaPipe connection lists, formatting, pull progress lines,
// the ps table and --out naming.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PullStage, type PullProgress } from '@tabagent/protos/v1/model_management';
import { FACEMESH_CONTOURS, FACEMESH_TESSELATION_TRIANGLES, HAND_CONNECTIONS, POSE_CONNECTIONS, tesselationEdges } from './draw/connections.js';
import { formatBytes, formatSeconds, table } from './format.js';
import { PullProgressView } from './progress.js';
import { outPath } from './vision-image.js';

const progress = (p: Partial<PullProgress>): PullProgress => ({ model: 'm', stage: PullStage.PULL_STAGE_DOWNLOADING, bytesDone: 0, bytesTotal: 0, file: '', message: '', ...p });

describe('connection lists', () => {
  it('FACEMESH_TESSELATION has 852 triangles over all 468 landmarks and 1322 unique edges', () => {
    assert.equal(FACEMESH_TESSELATION_TRIANGLES.length, 852);
    const used = new Set(FACEMESH_TESSELATION_TRIANGLES.flat());
    assert.equal(used.size, 468);
    assert.equal(Math.max(...used), 467);
    assert.equal(tesselationEdges().length, 1322);
  });
  it('hand, pose and contour lists have MediaPipe\'s sizes and ranges', () => {
    assert.equal(HAND_CONNECTIONS.length, 21);
    assert.ok(HAND_CONNECTIONS.flat().every((i) => i >= 0 && i < 21));
    assert.equal(POSE_CONNECTIONS.length, 35);
    assert.ok(POSE_CONNECTIONS.flat().every((i) => i >= 0 && i < 33));
    assert.equal(FACEMESH_CONTOURS.length, 40 + 16 + 8 + 16 + 8 + 36);
  });
});

describe('formatting', () => {
  it('bytes, seconds and tables', () => {
    assert.equal(formatBytes(512), '512 B');
    assert.equal(formatBytes(1536), '1.5 KB');
    assert.equal(formatBytes(3 * 1024 * 1024), '3.0 MB');
    assert.equal(formatSeconds(3.4), '3s');
    assert.equal(formatSeconds(75), '1m15s');
    assert.equal(formatSeconds(-1), '?');
    assert.equal(table(['A', 'BB'], [['xyz', '1']]), 'A    BB\nxyz  1');
  });
  it('--out names one file per image', () => {
    assert.equal(outPath('out.png', 0, 1), 'out.png');
    assert.equal(outPath('out.png', 1, 3), 'out-2.png');
  });
});

describe('PullProgressView', () => {
  it('draws bytes, percentage, rate and ETA on a terminal, redrawing one line', () => {
    let written = '';
    let now = 0;
    const view = new PullProgressView({ isTTY: true, columns: 100, write: (t) => (written += t) }, () => now);
    view.update(progress({ bytesDone: 0, bytesTotal: 4 * 1024 * 1024, file: 'model.bin' }));
    now = 2000;
    view.update(progress({ bytesDone: 2 * 1024 * 1024, bytesTotal: 4 * 1024 * 1024, file: 'model.bin' }));
    const last = written.split('\r').at(-1)!;
    assert.match(last, /downloading model\.bin/);
    assert.match(last, / 50%/);
    assert.match(last, /2\.0 MB\/4\.0 MB/);
    assert.match(last, /1\.0 MB\/s/);
    assert.match(last, /ETA 2s/);
    now = 3000;
    view.update(progress({ stage: PullStage.PULL_STAGE_CONVERTING, bytesDone: 3, bytesTotal: 10 }));
    assert.match(written.split('\r').at(-1)!, /converting .*30%.*3\/10 steps/);
    view.update(progress({ stage: PullStage.PULL_STAGE_DONE }));
    assert.ok(written.endsWith('\n'));
  });
  it('prints plain lines when not on a terminal: one per stage change', () => {
    const lines: string[] = [];
    let now = 0;
    const view = new PullProgressView({ isTTY: false, write: (t) => lines.push(t) }, () => now);
    view.update(progress({ stage: PullStage.PULL_STAGE_RESOLVING }));
    for (let i = 1; i <= 10; i++) {
      now = i * 100;
      view.update(progress({ bytesDone: i, bytesTotal: 10 }));
    }
    view.update(progress({ stage: PullStage.PULL_STAGE_DONE }));
    assert.deepEqual(lines.map((l) => l.trim().split(' ')[0]), ['resolving', 'downloading', 'done']);
    assert.ok(lines.every((l) => l.endsWith('\n') && !l.includes('\r')));
  });
});
