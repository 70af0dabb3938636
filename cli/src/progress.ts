// Progress of a model pull: a redrawn bar (bytes, rate, ETA; work units while converting) on a
// terminal, one plain line per stage change and every few seconds otherwise.
import { PullStage, type PullProgress } from '@tabagent/protos/v1/model_management';
import { formatBytes, formatSeconds } from './format.js';

const STAGE_NAMES: Record<number, string> = {
  [PullStage.PULL_STAGE_RESOLVING]: 'resolving', [PullStage.PULL_STAGE_DOWNLOADING]: 'downloading',
  [PullStage.PULL_STAGE_VERIFYING]: 'verifying', [PullStage.PULL_STAGE_CONVERTING]: 'converting', [PullStage.PULL_STAGE_DONE]: 'done',
};

/** Where progress goes. */
export interface ProgressSink {
  isTTY: boolean;
  columns?: number;
  write(text: string): void;
}

/** Renders PullProgress messages; `now` is injectable for tests. */
export class PullProgressView {
  private stage = -1;
  private stageStart = 0;
  private lastPlain = 0;
  private drawn = false;

  constructor(private readonly out: ProgressSink, private readonly now: () => number = Date.now) {}

  update(p: PullProgress): void {
    const t = this.now();
    const changed = p.stage !== this.stage;
    if (changed) {
      if (this.drawn) this.out.write('\n');
      this.drawn = false;
      this.stage = p.stage;
      this.stageStart = t;
    }
    const line = this.line(p, t);
    if (this.out.isTTY) {
      this.out.write(`\r${line}\x1b[K`);
      this.drawn = true;
      if (p.stage === PullStage.PULL_STAGE_DONE) this.finish();
    } else if (changed || t - this.lastPlain >= 2000 || p.stage === PullStage.PULL_STAGE_DONE) {
      this.out.write(`${line}\n`);
      this.lastPlain = t;
    }
  }

  /** Ends a bar that is being redrawn. */
  finish(): void {
    if (this.drawn) this.out.write('\n');
    this.drawn = false;
  }

  /** One line: "downloading model.onnx  [#####-----]  45%  1.2 MB/2.6 MB  800 KB/s  ETA 2s". */
  line(p: PullProgress, t: number): string {
    const name = STAGE_NAMES[p.stage] ?? 'working';
    const done = Number(p.bytesDone);
    const total = Number(p.bytesTotal);
    const parts = [`${name}${p.file ? ` ${p.file}` : ''}`];
    if (total > 0 && p.stage !== PullStage.PULL_STAGE_DONE) {
      const frac = Math.min(1, done / total);
      const width = Math.max(10, Math.min(30, (this.out.columns ?? 80) - 70));
      const fill = Math.round(frac * width);
      parts.push(`[${'#'.repeat(fill)}${'-'.repeat(width - fill)}]`, `${(frac * 100).toFixed(0).padStart(3)}%`);
      const elapsed = (t - this.stageStart) / 1000;
      const rate = elapsed > 0 ? done / elapsed : 0;
      if (p.stage === PullStage.PULL_STAGE_CONVERTING) {
        parts.push(`${done}/${total} steps`);
      } else {
        parts.push(`${formatBytes(done)}/${formatBytes(total)}`);
        if (rate > 0) parts.push(`${formatBytes(rate)}/s`, `ETA ${formatSeconds((total - done) / rate)}`);
      }
    }
    if (p.message) parts.push(p.message);
    return parts.join('  ');
  }
}
