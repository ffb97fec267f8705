// How a wait waits. Normally on the real clock, with the real timers (fake timers replace the
// global setTimeout, and sinon-based ones also the functions of `node:timers`; see `real`). When fake timers are installed, time is the fake clock's and waiting *advances* it, the
// way testing-library's waitFor does, so a system under test driven by faked timers progresses
// and the wait runs in virtual time; a real turn of the event loop still passes between steps so
// promises and I/O callbacks run. Concurrent waits share the fake clock: it moves once per turn,
// to the earliest of their next steps and the fake timers (`fakeTurn`).
import * as timers from 'node:timers';

import { native } from './native';

type TimerName = 'setTimeout' | 'clearTimeout' | 'setImmediate' | 'clearImmediate';

/**
 * The real timer function `name`. @sinonjs/fake-timers (sinon, Vitest) also replaces the
 * functions of `node:timers` when it fakes the real global; it keeps each original as
 * `clock._<name>`, which is what a wait that must really wait uses then.
 */
function real<K extends TimerName>(name: K): (typeof timers)[K] {
  const f = timers[name] as (typeof timers)[K] & { clock?: Record<string, unknown> };
  const original = f.clock?.[`_${name}`];
  return (typeof original === 'function' ? original : f) as (typeof timers)[K];
}

declare const jest: { advanceTimersByTime(ms: number): void } | undefined;

export interface Clock {
  readonly fake: boolean;
  /** Milliseconds on this clock. */
  now(): number;
  /** Wait `ms` (a fake clock jumps ahead, then one real turn of the event loop passes). */
  sleep(ms: number, cancel: Cancel): Promise<void>;
  /** Fake clocks only: move time ahead now, running the fake timers that fall due. */
  advance(ms: number): void;
  /** Fake clocks only: ms until the next fake timer falls due, if one is pending and known. */
  nextTimerIn(): number | undefined;
  /**
   * One real turn of the event loop; on a fake clock time then moves by the least any wait
   * asked for in that turn (`ask`, read when the turn comes), so that concurrent waits share it.
   */
  turn(cancel: Cancel, ask: () => number): Promise<void>;
}

/** Cuts a sleep short (a wake hint) or rejects it (an abort). */
export class Cancel {
  // The sleep in progress: what settles its Promise and what stops its timer. Fields, not
  // closures made per sleep: a busy wait sleeps once per evaluation (issue 17).
  private resolveSleep: (() => void) | undefined;
  private rejectSleep: ((reason: unknown) => void) | undefined;
  private stopSleep: ((done: () => void) => void) | undefined;
  aborted: { reason: unknown } | undefined;
  private rejectAborted: ((reason: unknown) => void) | undefined;
  /** Rejects with the abort reason; raced with everything a wait awaits. */
  readonly whenAborted: Promise<never> = new Promise<never>((_, reject) => {
    this.rejectAborted = reject;
  });
  /** What a timer calls when the sleep ends: one function per wait (a wait sleeps once at a time). */
  private readonly ended = (): void => {
    const resolve = this.resolveSleep;
    this.clearSleep();
    resolve?.();
  };

  constructor() {
    // Raced, never awaited alone: its rejection is always handled by the race that uses it.
    this.whenAborted.catch(() => undefined);
  }

  private clearSleep(): void {
    this.resolveSleep = this.rejectSleep = this.stopSleep = undefined;
  }

  /** Resolves the sleep in progress, if any. */
  wake(): void {
    const { resolveSleep: resolve, stopSleep: stop } = this;
    this.clearSleep();
    stop?.(this.ended);
    resolve?.();
  }

  abort(reason: unknown): void {
    this.aborted ??= { reason };
    this.rejectAborted?.(reason);
    const { rejectSleep: reject, stopSleep: stop } = this;
    this.clearSleep();
    stop?.(this.ended);
    reject?.(reason);
  }

  /**
   * A promise that settles on `wake`/`abort` or when `start` calls the function it is given;
   * `start` returns what stops it (called with that function).
   */
  wrap(start: (done: () => void) => (done: () => void) => void): Promise<void> {
    if (this.aborted) return Promise.reject(this.aborted.reason);
    return new Promise<void>((resolve, reject) => {
      this.resolveSleep = resolve;
      this.rejectSleep = reject;
      this.stopSleep = start(this.ended);
    });
  }
}

/**
 * Node's timers hold a signed 32-bit count of ms: a longer delay (2 ** 31 ms is under 25 days)
 * fires after 1 ms instead, with only a warning. Longer waits are chained timers of at most this.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Calls `done` after `ms` real milliseconds (Infinity: never), however large; returns what
 * cancels it. The real timer functions, so fake timers cannot stop or speed it up.
 */
export function realDelay(ms: number, done: () => void): () => void {
  let handle: ReturnType<typeof setTimeout>;
  const arm = (left: number) => {
    handle = real('setTimeout')(() => (left > MAX_TIMER_MS ? arm(left - MAX_TIMER_MS) : done()), Math.max(0, Math.min(left, MAX_TIMER_MS)));
  };
  arm(ms);
  return () => real('clearTimeout')(handle);
}

/**
 * Waits due at the same moment share one timer (issue 19): a thousand concurrent waits on one
 * schedule then cost one timer per due time, not one each. Each wait keeps its own entry in the
 * batch (its Cancel's `ended`: a wait sleeps once at a time), so a wake hint or an abort takes out
 * only its own; the batch's last one clears the timer.
 */
const nothing = (): void => {};

class Batch {
  readonly entries = new Set<() => void>();
  /** Clears the batch's timer; set by whoever arms it. */
  clear: () => void = nothing;

  /** `forget`: drops the batch from its index (once its last entry left before it fired). */
  constructor(private readonly forget: () => void) {}

  /** Runs the entries (Promise resolvers, which do not throw). */
  fire(): void {
    for (const entry of this.entries) entry();
  }

  /** Adds `done`; returns what takes it out again. */
  join(done: () => void): () => void {
    this.entries.add(done);
    return () => {
      if (this.entries.delete(done) && this.entries.size === 0) {
        this.forget();
        this.clear();
      }
    };
  }
}

/** The pending sleeps' batches by due time: the addon's monotonic ms, rounded up to the whole ms (Node's timers count whole ms anyway). */
const dueAt = new Map<number, Batch>();
/**
 * The grain of a sleep's due time: 1 ms, or for a sleep of 32 ms or more the power of two ms at
 * most a sixteenth of it. Concurrent waits that sleep about as long then end on the same grain
 * and share one timer and one wake-up of the event loop, as the same setTimeout delay shares one
 * in a hand loop (issue 19: a thousand 50 ms waits woke the loop every millisecond, this halved
 * the wake-ups); a sleep ends later by at most its sixteenth, half of that on average. Only while
 * other sleeps are pending: a lone one ends on its millisecond.
 */
function grainOf(ms: number): number {
  return ms < 32 ? 1 : 2 ** Math.floor(Math.log2(ms / 16));
}

/** `realDelay` for the waits' sleeps: a timer shared with every sleep due in the same millisecond. */
function sharedDelay(ms: number, done: () => void): () => void {
  if (!(ms <= MAX_TIMER_MS)) return realDelay(ms, done);
  const now = native.monotonicMs();
  // The key is the due time rounded up to the sleep's grain; the timer keeps a lone wait's delay.
  // A lone sleep keeps its whole-ms due time (one wait's overshoot is unchanged).
  const grain = dueAt.size === 0 ? 1 : grainOf(ms);
  const at = Math.ceil((now + ms) / grain) * grain;
  let batch = dueAt.get(at);
  if (batch === undefined) {
    const b = new Batch(() => {
      if (dueAt.get(at) === b) dueAt.delete(at);
    });
    const handle = real('setTimeout')(
      () => {
        if (dueAt.get(at) === b) dueAt.delete(at);
        b.fire();
      },
      // On the 1 ms grain the timer's delay is the sleep's own whole ms, as before grains: the
      // time to the rounded-up key would add up to 1 ms to every short sleep (a 1 ms period
      // became 2 ms timers: Node's overshoot p50 went from 0.05 to 1.2 ms in make bench).
      grain === 1 ? Math.ceil(ms) : Math.ceil(at - now),
    );
    b.clear = () => real('clearTimeout')(handle);
    dueAt.set(at, b);
    batch = b;
  }
  return batch.join(done);
}

// The next turn, shared by every wait that asks before it passes: their entries and the one
// `setImmediate` that runs them. The set of the turn that ran is kept, emptied, for the turn after
// the next: a busy wait asks for a turn once per evaluation, and allocates nothing for it.
let turnEntries = new Set<() => void>();
let spareTurnEntries = new Set<() => void>();
let turnHandle: ReturnType<typeof setImmediate> | undefined;

function runTurn(): void {
  const entries = turnEntries;
  turnEntries = spareTurnEntries;
  spareTurnEntries = entries;
  turnHandle = undefined;
  for (const entry of entries) entry();
  entries.clear();
}

/** Joins the next shared turn (`realTurn`'s start). */
function joinTurn(done: () => void): (done: () => void) => void {
  turnEntries.add(done);
  turnHandle ??= real('setImmediate')(runTurn);
  return leaveTurn;
}

/** Takes `done` out of the next turn; the last one out cancels it. */
function leaveTurn(done: () => void): void {
  if (turnEntries.delete(done) && turnEntries.size === 0 && turnHandle !== undefined) {
    real('clearImmediate')(turnHandle);
    turnHandle = undefined;
  }
}

/** One real turn of the event loop (timers, I/O and promise callbacks get to run), shared by every wait that asks before it passes. */
export function realTurn(cancel: Cancel): Promise<void> {
  return cancel.wrap(joinTurn);
}

/**
 * The fake clock's next move, shared by every wait on it: after a real turn (all continuations
 * ran) it moves once, by the least its waits ask, then releases them after one more real turn
 * (what the fake timers that fell due started has settled). A wait alone moves it as it asks;
 * several never move it past one another's next timer.
 */
let fakeMove: { batch: Batch; asks: Map<() => void, () => number> } | undefined;

function fakeTurn(advance: (ms: number) => void, cancel: Cancel, ask: () => number): Promise<void> {
  return cancel.wrap((done) => {
    let move = fakeMove;
    if (move === undefined) {
      const m = {
        batch: new Batch(() => {
          if (fakeMove === m) fakeMove = undefined;
        }),
        asks: new Map<() => void, () => number>(),
      };
      let handle = real('setImmediate')(() => {
        if (fakeMove === m) fakeMove = undefined;
        let by = Infinity;
        for (const a of m.asks.values()) by = Math.min(by, a());
        if (by < Infinity) advance(Math.max(0, by));
        handle = real('setImmediate')(() => m.batch.fire());
      });
      m.batch.clear = () => real('clearImmediate')(handle);
      fakeMove = move = m;
    }
    const m = move;
    m.asks.set(done, ask);
    const leave = m.batch.join(done);
    return () => {
      m.asks.delete(done);
      leave();
    };
  });
}

const realClock: Clock = {
  fake: false,
  advance() {},
  turn: (cancel) => realTurn(cancel),
  nextTimerIn: () => undefined,
  // The addon's monotonic clock, not performance.now(): sinon and Vitest fake that too (through
  // node:perf_hooks), even when they leave the timers alone (`toFake: ['Date', 'performance']`).
  now: () => native.monotonicMs(),
  sleep(ms, cancel) {
    if (ms <= 0) return realTurn(cancel);
    // Node's timers count whole milliseconds: a 2.5 ms timer fires after 2, short of the
    // evaluation it waits for, and a second timer then costs a wake-up for nothing. Rounding
    // up keeps one timer per evaluation (half the CPU of an adaptive wait, by `make bench`); the
    // due time is rounded up, and the timer shared with the other waits due then (sharedDelay).
    return cancel.wrap((done) => sharedDelay(ms, done));
  },
};

interface SinonTimer {
  callAt: number;
}

interface SinonClock {
  now: number;
  tick(ms: number): unknown;
  performance?: { now(): number };
  /** A Map in recent versions, a plain object in older ones. */
  timers?: Map<unknown, SinonTimer> | Record<string, SinonTimer>;
}

/**
 * A fake clock. A sleep is one move of it (`turn`): by its length, or less when the next fake
 * timer or another wait's sleep ends sooner, so that concurrent waits share the clock's time (the
 * poller then asks for the rest).
 */
function fakeClock(advance: (ms: number) => void, now: () => number, nextTimerIn: () => number | undefined = () => undefined): Clock {
  const clock: Clock = {
    fake: true,
    now,
    nextTimerIn,
    advance: (ms) => advance(Math.max(0, ms)),
    turn: (cancel, ask) => fakeTurn(advance, cancel, ask),
    async sleep(ms, cancel) {
      if (cancel.aborted) throw cancel.aborted.reason;
      const from = now();
      await clock.turn(cancel, () => Math.min(Math.max(0, ms - (now() - from)), nextTimerIn() ?? Infinity));
    },
  };
  return clock;
}

/**
 * The clock to use now: fake timers may be installed or removed between two calls. `realTimers`:
 * the real clock even when fake timers are installed.
 */
export function currentClock(realTimers = false): Clock {
  if (realTimers) return realClock;
  const st = globalThis.setTimeout as unknown as { clock?: SinonClock; _isMockFunction?: boolean };
  // @sinonjs/fake-timers (Jest's modern timers, Vitest's vi.useFakeTimers, sinon) tags its fakes.
  const clock = st?.clock;
  if (clock && typeof clock.tick === 'function' && typeof clock.now === 'number') {
    // performance.now() of the fake clock keeps fractions of a millisecond; clock.now does not.
    const perf = clock.performance;
    const now = perf && typeof perf.now === 'function' ? () => perf.now() : () => clock.now;
    const nextTimerIn = () => {
      const timers = clock.timers;
      if (!timers) return undefined;
      let first = Infinity;
      // Not `instanceof Map`: under Jest the clock's Map comes from another realm.
      const list =
        typeof timers.values === 'function' ? (timers as Map<unknown, SinonTimer>).values() : Object.values(timers as Record<string, SinonTimer>);
      for (const t of list) if (typeof t?.callAt === 'number' && t.callAt < first) first = t.callAt;
      return first === Infinity ? undefined : Math.max(0, first - clock.now);
    };
    return fakeClock((ms) => clock.tick(ms), now, nextTimerIn);
  }
  // Jest's legacy fake timers: no clock to read, so count what we advanced.
  if (st?._isMockFunction === true && typeof jest !== 'undefined' && jest) {
    let virtual = 0;
    const j = jest;
    return fakeClock(
      (ms) => {
        virtual += ms;
        j.advanceTimersByTime(ms);
      },
      () => virtual,
    );
  }
  return realClock;
}
