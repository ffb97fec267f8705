// Systems under test from the seeds, in TypeScript: their delays are the behaviour being tested
// (a shutdown that finishes on a later tick, a write that lands later), so they use timers.
import * as fs from 'node:fs';

import { emit } from '@liveness-dev/liveness';

export const jitter = (min: number, max: number): number => min + Math.random() * (max - min);

/**
 * A singleton service under a name. `restart()` asks it to stop; the stop finishes on a later
 * tick (5–30 ms), and only then can a new instance register — with a new id. Starting too early
 * fails with "already started": the restart race.
 */
export class Registry {
  private readonly names = new Map<string, number>();
  private nextId = 1;

  start(name: string): number {
    if (this.names.has(name)) throw new Error(`${name} already started`);
    const id = this.nextId++;
    this.names.set(name, id);
    return id;
  }

  whereis(name: string): number | null {
    return this.names.get(name) ?? null;
  }

  /** Stops `name` asynchronously: the name is free `shutdownMs` later (seed 004's demo: no restart). */
  stop(name: string, shutdownMs: number): void {
    setTimeout(() => this.names.delete(name), shutdownMs);
  }

  /** Stops `name` asynchronously; a supervisor starts a new instance once it is gone. */
  restart(name: string): void {
    setTimeout(
      () => {
        this.names.delete(name);
        setTimeout(() => this.start(name), jitter(0, 5));
      },
      jitter(5, 30),
    );
  }
}

/** Writes `text` to `file` after `delayMs` (by default 5–30 ms), the way a background job would. */
export function delayedWrite(file: string, text: string, delayMs = jitter(5, 30)): void {
  setTimeout(() => fs.writeFile(file, text, () => {}), delayMs);
}

export type BreakerState = 'closed' | 'open';

/**
 * The circuit breaker of seed 000: after `threshold` consecutive failures it opens; it emits
 * `breaker.call.success`, `breaker.call.failure` and `breaker.state_change` {from, to}.
 */
export class CircuitBreaker {
  failures = 0;
  state: BreakerState = 'closed';
  // Fire-and-forget failures wait here, in order, as in a GenServer's mailbox.
  private mailbox: Promise<void> = Promise.resolve();

  constructor(
    readonly name: string,
    readonly threshold = 3,
  ) {}

  async call<T>(fn: () => Promise<T>): Promise<T> {
    if (this.state === 'open') throw new Error(`circuit ${this.name} is open`);
    try {
      const value = await fn();
      this.failures = 0;
      emit('breaker.call.success', {}, { breaker: this.name });
      return value;
    } catch (error) {
      this.failures++;
      emit('breaker.call.failure', { failures: this.failures }, { breaker: this.name });
      if (this.failures >= this.threshold) this.transition('open');
      throw error;
    }
  }

  /**
   * Seed 000's fire-and-forget call: returns at once; the breaker records the failure
   * `latencyMs` later, after the failures sent before it.
   */
  castFail(latencyMs: number): void {
    const failing = () => Promise.reject(new Error('fire-and-forget failure'));
    this.mailbox = this.mailbox
      // liveness: allow-sleep(the breaker's processing time per failure: the simulated system's delay)
      .then(() => new Promise<void>((resolve) => setTimeout(resolve, latencyMs)))
      .then(() => this.call(failing))
      .catch(() => {}); // the failure is the point; an open breaker's refusal is one too
  }

  transition(to: BreakerState): void {
    const from = this.state;
    this.state = to;
    emit('breaker.state_change', {}, { breaker: this.name, from, to });
  }
}
