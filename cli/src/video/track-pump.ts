// Feeds frames into a Vision.Track stream, newest frame wins: at most `maxInFlight` frames wait at
// the server; a frame that arrives while the window is full replaces the one waiting to be sent,
// and that older frame counts as dropped. Frames the server skips (dropped_timestamps_us) count too.
import type { ClientDuplexStream } from '@grpc/grpc-js';
import { PixelFormat, TrackRequest, type TrackResponse, type TrackTask } from '@tabagent/protos/v1/vision';

/** A frame waiting or in flight. */
export interface PumpFrame {
  timestampUs: number;
  data: Buffer;
}

export type PumpState = 'open' | 'draining' | 'finished';

export class TrackPump {
  state: PumpState = 'open';
  droppedHere = 0;
  droppedByServer = 0;
  private waiting: PumpFrame | undefined;
  private readonly inFlight = new Map<number, PumpFrame>();
  readonly ended: Promise<void>;

  constructor(
    private readonly stream: ClientDuplexStream<TrackRequest, TrackResponse>,
    private readonly spec: { task: TrackTask; width: number; height: number; model: string; maxInFlight: number },
    onResult: (r: TrackResponse, frame: PumpFrame | undefined) => void,
  ) {
    this.ended = new Promise((resolve, reject) => {
      stream.on('data', (r: TrackResponse) => {
        const ts = Number(r.timestampUs);
        const frame = this.inFlight.get(ts);
        this.inFlight.delete(ts);
        for (const d of r.droppedTimestampsUs) {
          if (this.inFlight.delete(Number(d))) this.droppedByServer++;
        }
        onResult(r, frame);
        this.flush();
      });
      stream.on('error', reject);
      stream.on('end', () => {
        this.state = 'finished';
        resolve();
      });
    });
  }

  /** Offers a frame; it is sent now, or waits replacing an older waiting frame. */
  push(frame: PumpFrame): void {
    if (this.state !== 'open') return;
    if (this.waiting) this.droppedHere++;
    this.waiting = frame;
    this.flush();
  }

  /** No more frames: sends the waiting one, then half-closes once nothing is in flight. */
  end(): void {
    if (this.state !== 'open') return;
    this.state = 'draining';
    this.flush();
  }

  get dropped(): number {
    return this.droppedHere + this.droppedByServer;
  }

  private flush(): void {
    if (this.waiting && this.inFlight.size < this.spec.maxInFlight) {
      const f = this.waiting;
      this.waiting = undefined;
      this.inFlight.set(f.timestampUs, f);
      this.stream.write(TrackRequest.fromPartial({
        timestampUs: f.timestampUs, task: this.spec.task, model: this.spec.model,
        frame: { data: f.data, width: this.spec.width, height: this.spec.height, format: PixelFormat.PIXEL_FORMAT_RGB },
      }));
    }
    if (this.state === 'draining' && !this.waiting && this.inFlight.size === 0) {
      this.state = 'finished';
      this.stream.end();
    }
  }
}
