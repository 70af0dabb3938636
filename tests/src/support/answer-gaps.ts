// Measures how responsive a server stays: one client calls the standard health Check in a tight
// loop and records when each answer arrives; the largest gap between answers inside a time window
// shows how long the server's event loop was stalled there.
import { HealthClient } from '@tabagent/common';

/** A running Check loop against one server. */
export class AnswerLoop {
  readonly #client: HealthClient;
  readonly #stamps: number[] = [];
  readonly #done: Promise<void>;
  #running = true;
  #failures = 0;

  constructor(address: string) {
    this.#client = new HealthClient(address);
    this.#done = this.#loop();
  }

  async #loop(): Promise<void> {
    while (this.#running) {
      try {
        await this.#client.check('', 10_000);
        this.#stamps.push(performance.now());
      } catch {
        this.#failures += 1;
      }
    }
  }

  /** Number of Checks that failed (deadline or transport error). */
  get failures(): number {
    return this.#failures;
  }

  /** Stops the loop after the Check in flight and closes the client. */
  async stop(): Promise<void> {
    this.#running = false;
    await this.#done;
    this.#client.close();
  }

  /**
   * The answers inside [from, to] and the largest gap between consecutive points of
   * `from, answers..., to` (the window edges count, so a stall at either end is seen).
   */
  gapsWithin(from: number, to: number): { answers: number; maxGapMs: number } {
    const inside = this.#stamps.filter((t) => t >= from && t <= to);
    const points = [from, ...inside, to];
    let maxGapMs = 0;
    for (let i = 1; i < points.length; i++) maxGapMs = Math.max(maxGapMs, points[i]! - points[i - 1]!);
    return { answers: inside.length, maxGapMs };
  }
}
