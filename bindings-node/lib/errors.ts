// The errors users see. They are created here, in JavaScript, never in the native layer: Jest runs
// each test file in its own realm, and an Error built by the addon would fail `instanceof Error`
// there. The native layer throws plain errors with a `code`; `translate` rebuilds them here.
import type { NativeReport } from './native';

/** Base class of every liveness assertion failure (timeouts, violations, event assertions). */
export class LivenessError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** One run of identical outcomes in a failure's history (SPEC §3). */
export interface HistoryRun {
  /** `"accepted"`, or the failure as shown in the report. */
  outcome: string;
  count: number;
  firstMs: number;
  lastMs: number;
}

/** What a failed wait reports, besides its message. */
abstract class WaitError extends LivenessError {
  /** The operation as written in JavaScript (`eventuallyPasses`). */
  readonly operation: string;
  readonly evaluations: number;
  readonly elapsedMs: number;
  /** The last failure as text (`Error: boom` or `returned null`), if any. */
  readonly lastFailure: string | undefined;
  readonly history: HistoryRun[];

  /** `note`: a line added to the report (the wait was cut to end before its test's timeout). */
  constructor(report: NativeReport, cause: { error: unknown } | undefined, note?: string) {
    super(note === undefined ? report.text : `${report.text}\n  ${note}`, cause ? { cause: cause.error } : undefined);
    this.operation = report.operation;
    this.evaluations = report.evaluations;
    this.elapsedMs = report.elapsedMs;
    this.lastFailure = report.last ?? undefined;
    this.history = report.history.map((r) => ({ ...r }));
  }
}

/**
 * The deadline (or the attempt limit) passed without an accepted evaluation. `cause` is the last
 * error the probe threw; it is unset when the probe last returned an unaccepted value.
 */
export class LivenessTimeoutError extends WaitError {}

/** `always` saw an evaluation that was not accepted, or `never` one that was. */
export class LivenessViolationError extends WaitError {}

/** `assertEmitted` and friends did not find what they were asked for. */
export class EventAssertionError extends LivenessError {}

/** The `code`s the native layer puts on the errors it throws. */
const RANGE = 'LIVENESS_INVALID_OPTION';

/** Runs a native call, rebuilding any error it throws in this realm: RangeError or TypeError. */
export function translate<T>(call: () => T): T {
  try {
    return call();
  } catch (e) {
    const err = e as { code?: unknown; message?: unknown };
    const message = typeof err?.message === 'string' ? err.message : String(e);
    throw err?.code === RANGE ? new RangeError(message) : new TypeError(message);
  }
}
