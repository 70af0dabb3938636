// Feeds frames into a Vision.Track stream, newest frame wins: at most `maxInFlight` frames wait at
// the server; a frame that arrives while the window is full replaces the one waiting to be sent,
// and that older frame counts as dropped. Frames the server skips (dropped_timestamps_us) count too.
import type { ClientDuplexStream } from '@grpc/grpc-js';
import { PixelFormat, TrackRequest, type Frame, type TrackResponse, type TrackTask } from '@tabagent/protos/v1/vision';
import type { ShmRing } from './shm-ring.js';

/** A frame waiting or in flight. */
export interface PumpFrame {
  timestampUs: number;
  data: Buffer;
  /** Offset of its shared-memory slot while in flight. */
  shmOffset?: number;
}

/** Frames go into `ring` (registered as `region`) instead of the message when given. */
export interface PumpShm {
  ring: ShmRing;
  region: string;
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
    private readonly spec: { task: TrackTask; width: number; height: number; model: string; maxInFlight: number; shm?: PumpShm },
    onResult: (r: TrackResponse, frame: PumpFrame | undefined) => void,
  ) {
    this.ended = new Promise((resolve, reject) => {
      stream.on('data', (r: TrackResponse) => {
        const ts = Number(r.timestampUs);
        const frame = this.take(ts);
        for (const d of r.droppedTimestampsUs) {
          if (this.take(Number(d))) this.droppedByServer++;
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

  /** Removes an in-flight frame, freeing its shared-memory slot. */
  private take(ts: number): PumpFrame | undefined {
    const f = this.inFlight.get(ts);
    this.inFlight.delete(ts);
    if (f?.shmOffset !== undefined) this.spec.shm?.ring.release(f.shmOffset);
    return f;
  }

  private flush(): void {
    if (this.waiting && this.inFlight.size < this.spec.maxInFlight) {
      const f = this.waiting;
      this.waiting = undefined;
      const { width, height, shm } = this.spec;
      const frame: Partial<Frame> = { width, height, format: PixelFormat.PIXEL_FORMAT_RGB };
      f.shmOffset = shm?.ring.put(f.data);
      if (shm && f.shmOffset !== undefined) frame.sharedMemory = { region: shm.region, offset: f.shmOffset, byteSize: f.data.length };
      else frame.data = f.data;
      this.inFlight.set(f.timestampUs, f);
      this.stream.write(TrackRequest.fromPartial({ timestampUs: f.timestampUs, task: this.spec.task, model: this.spec.model, frame }));
    }
    if (this.state === 'draining' && !this.waiting && this.inFlight.size === 0) {
      this.state = 'finished';
      this.stream.end();
    }
  }
}
