//! `NativePoller`: the core's sans-IO Poller, handed to the TypeScript driver. Times cross the
//! boundary as milliseconds (f64) elapsed since the call began, on whichever clock the driver
//! uses (the real monotonic clock, or the fake clock of Jest/Vitest/sinon timers).

use std::time::Duration;

use liveness::policy::{Options, duration_from_millis, timeout_from_millis};
use liveness::poll::{
    Driver, Evaluated, Failure, Operation, Outcome, Poller, Report, ReportKind, RunOutcome, Spelling, Step,
};
use napi_derive::napi;

use crate::errors::{Result, invalid_argument, to_napi};

/// The options of SPEC §2 after the TypeScript layer checked their JavaScript types.
#[napi(object)]
pub struct NativeOptions {
    /// `Infinity`: no deadline.
    pub timeout: Option<f64>,
    pub interval: Option<f64>,
    /// A list of periods; the last one repeats.
    pub intervals: Option<Vec<f64>>,
    /// The factor of an exponential backoff (≥ 1).
    pub backoff: Option<f64>,
    pub min_interval: Option<f64>,
    pub max_interval: Option<f64>,
    pub delay: Option<f64>,
    pub attempts: Option<u32>,
    pub message: Option<String>,
    pub stable_for: Option<f64>,
    pub at_least: Option<f64>,
    pub late_check: Option<f64>,
    pub wake_on: Option<Vec<String>>,
    /// Paths whose change is a wake hint (`wakeOnPath`).
    pub wake_on_path: Option<Vec<String>>,
}

/// The core's defaults the TypeScript layer needs before a poller exists (to fit a wait into the
/// running test's budget): `[timeout, lateCheck]` in ms. Read once; never a copy in TypeScript.
#[napi]
pub fn option_defaults_ms() -> Vec<f64> {
    let d = Options::default();
    vec![ms(d.timeout), ms(d.late_check)]
}

fn millis(option: &str, value: Option<f64>, default: Duration) -> Result<Duration> {
    match value {
        None => Ok(default),
        Some(ms) => duration_from_millis(option, ms).map_err(to_napi),
    }
}

fn options(o: &NativeOptions) -> Result<Options> {
    let d = Options::default();
    Ok(Options {
        timeout: match o.timeout {
            None => d.timeout,
            Some(ms) => timeout_from_millis("timeout", ms).map_err(to_napi)?,
        },
        interval: match o.interval {
            None => None,
            Some(ms) => Some(duration_from_millis("interval", ms).map_err(to_napi)?),
        },
        intervals: match &o.intervals {
            None => None,
            Some(list) => Some(
                list.iter()
                    .map(|ms| duration_from_millis("intervals", *ms).map_err(to_napi))
                    .collect::<Result<Vec<_>>>()?,
            ),
        },
        backoff: o.backoff,
        min_interval: millis("minInterval", o.min_interval, d.min_interval)?,
        max_interval: millis("maxInterval", o.max_interval, d.max_interval)?,
        delay: millis("delay", o.delay, d.delay)?,
        attempts: o.attempts,
        message: o.message.clone(),
        stable_for: millis("stableFor", o.stable_for, d.stable_for)?,
        at_least: millis("atLeast", o.at_least, d.at_least)?,
        late_check: millis("lateCheck", o.late_check, d.late_check)?,
        wake_on: o.wake_on.clone().unwrap_or_default(),
        wake_on_path: o.wake_on_path.iter().flatten().map(std::path::PathBuf::from).collect(),
        ..d
    })
}

/// `argument_ms`: the operation's own duration, `during` of always/never or `quiet` of
/// eventuallySettles.
fn operation(name: &str, argument_ms: Option<f64>) -> Result<Operation> {
    let argument = |argument: &str| -> Result<Duration> {
        let ms =
            argument_ms.ok_or_else(|| invalid_argument(format!("{name} needs a duration (`{argument}`, in ms)")))?;
        duration_from_millis(argument, ms).map_err(to_napi)
    };
    let during = || argument("during");
    Ok(match name {
        "eventually" => Operation::Eventually,
        // `expect.eventually(probe).toBe(x)` is eventuallyPasses over the matcher, named as the user wrote it.
        "eventuallyPasses" | "expect.eventually" => Operation::EventuallyPasses,
        "eventuallyChanges" => Operation::EventuallyChanges,
        "eventuallySettles" => Operation::EventuallySettles { quiet: argument("quiet")? },
        "syncOperation" => Operation::SyncOperation,
        "always" => Operation::Always { during: during()? },
        "never" => Operation::Never { during: during()? },
        other => return Err(invalid_argument(format!("unknown operation {other:?}"))),
    })
}

fn at(ms: f64) -> Duration {
    // The driver's clock is monotonic; a negative or NaN reading would be a driver bug, so clamp
    // (`as` saturates, NaN becomes 0). Whole nanoseconds: this runs several times per evaluation,
    // and `Duration::try_from_secs_f64` cost a twentieth of a cheap one's native call.
    Duration::from_nanos((ms * 1e6) as u64)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// `next()` answers with one number: a wait in ms (≥ 0), or one of these codes. A number, not an
/// object: `next()` runs once per evaluation and per wait, and a number crosses napi without an
/// allocation. The one argument a step can carry besides a wait, `abandon_at`, is read through
/// the `abandonAtMs` getter, and only by a driver whose probe returned a Promise.
pub const EVALUATE: f64 = -1.0;
pub const DONE_OK: f64 = -2.0;
pub const DONE_FAILED: f64 = -3.0;
pub const PREPARE: f64 = -4.0;
pub const YIELD: f64 = -5.0;

/// One run of identical outcomes in a failure's history.
#[napi(object)]
pub struct NativeRun {
    /// `"accepted"`, or the failure as shown in the report.
    pub outcome: String,
    pub count: u32,
    pub first_ms: f64,
    pub last_ms: f64,
}

/// The fields behind a failure's text (SPEC §3).
#[napi(object)]
pub struct NativeReport {
    /// The whole text of SPEC §3.
    pub text: String,
    pub operation: String,
    pub violation: bool,
    /// An asynchronous evaluation (or the preparation) was still pending at the deadline.
    pub still_running: bool,
    pub evaluations: u32,
    pub elapsed_ms: f64,
    /// The last failure as text (`Kind: text` or `returned repr`), if any.
    pub last: Option<String>,
    pub history: Vec<NativeRun>,
}

/// `name`: the operation as the driver named it, when the core knows it by another name
/// (`expect.eventually` is the core's eventuallyPasses); the report's headline shows it.
fn report(r: &Report, name: &str) -> NativeReport {
    let renamed;
    let r = if r.operation == name {
        r
    } else {
        renamed = Report { operation: name.to_owned(), ..r.clone() };
        &renamed
    };
    NativeReport {
        text: r.to_string(),
        operation: r.operation.clone(),
        violation: r.is_violation(),
        still_running: matches!(r.kind, ReportKind::StillRunning { .. } | ReportKind::PreparationStillRunning { .. }),
        evaluations: r.evaluations,
        elapsed_ms: ms(r.elapsed),
        last: r.last.as_ref().map(|f| f.to_string()),
        history: r
            .history
            .iter()
            .map(|run| NativeRun {
                outcome: match &run.outcome {
                    RunOutcome::Accepted => "accepted".to_owned(),
                    RunOutcome::Failed(f) => f.to_string(),
                },
                count: run.count,
                first_ms: ms(run.first),
                last_ms: ms(run.last),
            })
            .collect(),
    }
}

/// One evaluation that returned, as the core counted it: what `onEvaluation` receives, beside
/// the value or error the driver kept.
#[napi(object)]
pub struct NativeEvaluated {
    /// 1-based.
    pub number: u32,
    /// Since the call began.
    pub started_ms: f64,
    pub duration_ms: f64,
    pub accepted: bool,
}
/// One wait in progress (a thin handle on `liveness::poll::Poller`): its state lives in this
/// thread's table of waits, under `slot`, so that the calls made once per evaluation can be plain
/// functions given the slot (`pollerStep`, `pollerReturnedStep`, `pollerReturnedTurnedStep`)
/// instead of methods: a method call unwraps its napi object first, which cost a tenth of a
/// cheap evaluation (issue 19).
#[napi]
pub struct NativePoller {
    slot: u32,
}

/// What a wait holds between native calls.
struct Wait {
    inner: Poller,
    /// The operation's name as the driver gave it.
    name: String,
    failed: Option<Report>,
    /// The `abandon_at` of the last `Prepare`/`Evaluate` step.
    abandon_at: Option<Duration>,
    /// Where the wait's elapsed time is zero on the addon's `monotonicMs()` clock: the `*Step`
    /// methods read the clock themselves when given no time (a driver on the real clock), so an
    /// evaluation costs two crossings, not eight.
    clock_origin_ms: f64,
    /// What the last `accepted`/`raised`/`returned` counted; read through `evaluated()` only by a
    /// driver with an `onEvaluation` hook, so a wait without one allocates nothing per evaluation.
    evaluated: Option<Evaluated>,
    /// The last value the probe returned that was not accepted, as given (repr, nullish): a driver
    /// whose probe returns the same again passes no text (`null`), and no string crosses napi.
    last_returned: Option<(String, bool)>,
}

/// This thread's waits by slot (a Worker has its own table: napi objects never leave their thread),
/// and the slots free for the next poller.
#[derive(Default)]
struct Table {
    waits: Vec<Option<Wait>>,
    free: Vec<u32>,
}

thread_local! {
    static WAITS: std::cell::RefCell<Table> = std::cell::RefCell::default();
}

fn no_wait() -> napi::Error<&'static str> {
    invalid_argument("liveness: no native poller in this slot (a liveness bug)")
}

/// Runs `f` on the wait in `slot`; an error, never a panic, for a slot that holds none.
fn with_wait<T>(slot: u32, f: impl FnOnce(&mut Wait) -> Result<T>) -> Result<T> {
    WAITS
        .try_with(|table| {
            let mut table = table.try_borrow_mut().map_err(|_| no_wait())?;
            let wait = table.waits.get_mut(slot as usize).and_then(Option::as_mut).ok_or_else(no_wait)?;
            f(wait)
        })
        .map_err(|_| no_wait())?
}

/// `next()` and, when the step is to prepare or evaluate, `started()` at the same instant; the
/// driver calls the step at once. No `atMs`: now, on the real clock.
#[napi(catch_unwind)]
pub fn poller_step(slot: u32, at_ms: Option<f64>) -> Result<f64> {
    with_wait(slot, |w| {
        let now = w.now(at_ms);
        Ok(w.step_at(now))
    })
}

/// `returned`, then `step`, at the same instant. `repr` null: the same value (and `nullish`) as
/// the last one this wait returned.
#[napi(catch_unwind)]
pub fn poller_returned_step(slot: u32, repr: Option<String>, nullish: bool, at_ms: Option<f64>) -> Result<f64> {
    with_wait(slot, |w| {
        let now = w.now(at_ms);
        let outcome = w.returned_outcome(repr, nullish)?;
        w.evaluated = Some(w.inner.finished(now, outcome));
        Ok(w.step_at(now))
    })
}

/// `returned` at `endedAtMs`, then `step` at `atMs` (none: now) with a turn of the event loop
/// passed in between. A driver whose last answer was `-5` (turn once, then evaluate) lets the turn
/// the core will ask for again pass first, then reports: one crossing per evaluation of a busy
/// wait instead of two (issue 17). The core still decides: it is asked at `atMs`, and only its
/// request for a turn is answered by the one that passed. `repr` null: as in `pollerReturnedStep`.
#[napi(catch_unwind)]
pub fn poller_returned_turned_step(
    slot: u32,
    repr: Option<String>,
    nullish: bool,
    ended_at_ms: f64,
    at_ms: Option<f64>,
) -> Result<f64> {
    with_wait(slot, |w| {
        let outcome = w.returned_outcome(repr, nullish)?;
        Ok(w.finished_turned_step(ended_at_ms, outcome, at_ms))
    })
}

/// `pollerReturnedStep` of the same value (and `nullish`) as the last one this wait returned: a
/// probe that is not true yet mostly returns the same value, and these calls then carry numbers
/// only (each argument of another type costs napi a type check and a conversion).
#[napi(catch_unwind)]
pub fn poller_returned_again_step(slot: u32, at_ms: Option<f64>) -> Result<f64> {
    poller_returned_step(slot, None, false, at_ms)
}

/// `pollerReturnedTurnedStep` of the same value as the last one this wait returned.
#[napi(catch_unwind)]
pub fn poller_returned_again_turned_step(slot: u32, ended_at_ms: f64, at_ms: Option<f64>) -> Result<f64> {
    poller_returned_turned_step(slot, None, false, ended_at_ms, at_ms)
}

impl Wait {
    fn build(
        operation_name: String,
        argument_ms: Option<f64>,
        options_in: Option<NativeOptions>,
        timeout_scale: Option<String>,
        clock_origin_ms: Option<f64>,
        timeout_ms: Option<f64>,
        late_check_ms: Option<f64>,
    ) -> Result<Self> {
        let op = operation(&operation_name, argument_ms)?;
        let mut opts = match &options_in {
            None => Options::default(),
            Some(o) => options(o)?,
        };
        // Given beside the object: a wait given only these (and the budget's cut) converts no object.
        if let Some(ms) = timeout_ms {
            opts.timeout = timeout_from_millis("timeout", ms).map_err(to_napi)?;
        }
        if let Some(ms) = late_check_ms {
            opts.late_check = duration_from_millis("lateCheck", ms).map_err(to_napi)?;
        }
        // The scale of the calling thread's `process.env` (a worker has its own), passed per wait:
        // no binding writes the process environment (a worker's value must not reach the others).
        if let Some(text) = timeout_scale {
            opts.timeout_scale = liveness::policy::parse_scale(&text).map_err(to_napi)?;
        }
        // The core names invalid options as JavaScript spells them (`maxInterval`).
        let inner = Poller::new(op, &opts, Spelling::Camel, Driver::EventLoop).map_err(to_napi)?;
        Ok(Wait {
            inner,
            name: operation_name,
            failed: None,
            abandon_at: None,
            evaluated: None,
            clock_origin_ms: clock_origin_ms.unwrap_or(0.0),
            last_returned: None,
        })
    }

    /// The time a `*Step` method was given, or (none given) the wait's elapsed time now.
    fn now(&self, at_ms: Option<f64>) -> Duration {
        at(at_ms.unwrap_or_else(|| crate::events::monotonic_ms() - self.clock_origin_ms))
    }

    /// The failure of a returned value; `repr` none: the last one returned again.
    fn returned_outcome(&mut self, repr: Option<String>, nullish: bool) -> Result<Outcome> {
        let (repr, nullish) = match repr {
            Some(repr) => {
                let repr = liveness::poll::shorten_repr_owned(repr);
                self.last_returned = Some((repr.clone(), nullish));
                (repr, nullish)
            }
            None => self
                .last_returned
                .clone()
                .ok_or_else(|| invalid_argument("liveness: a repeated value before any value (a liveness bug)"))?,
        };
        Ok(Outcome::Rejected(Failure::returned(repr, nullish)))
    }

    /// `next` and, when the step is to prepare or evaluate, `started` at the same instant.
    fn step_at(&mut self, now: Duration) -> f64 {
        let code = self.next_at(now);
        self.started_if_stepping(code, now)
    }

    /// `started` when `code` is to prepare or evaluate (the driver calls the step at once).
    fn started_if_stepping(&mut self, code: f64, now: Duration) -> f64 {
        if code == EVALUATE || code == PREPARE {
            self.inner.started(now);
        }
        code
    }

    fn next_at(&mut self, now: Duration) -> f64 {
        match self.inner.next(now) {
            Step::Prepare { abandon_at } => {
                self.abandon_at = abandon_at;
                PREPARE
            }
            Step::Evaluate { abandon_at } => {
                self.abandon_at = abandon_at;
                EVALUATE
            }
            Step::Yield => YIELD,
            Step::Wait(d) => ms(d),
            Step::Done(Ok(())) => DONE_OK,
            Step::Done(Err(r)) => {
                self.failed = Some(*r);
                DONE_FAILED
            }
        }
    }

    fn finished_turned_step(&mut self, ended_at_ms: f64, outcome: Outcome, at_ms: Option<f64>) -> f64 {
        let ended = at(ended_at_ms);
        self.evaluated = Some(self.inner.finished(ended, outcome));
        let now = self.now(at_ms).max(ended);
        let code = self.next_at(now);
        // The turn it asks for has passed (after the evaluation ended, before this call).
        if code == YIELD { self.step_at(now) } else { self.started_if_stepping(code, now) }
    }
}

impl Drop for NativePoller {
    fn drop(&mut self) {
        // At a thread's exit the table may be gone already (or, never, borrowed): nothing to free.
        let _ = WAITS.try_with(|table| {
            if let Ok(mut table) = table.try_borrow_mut()
                && let Some(entry) = table.waits.get_mut(self.slot as usize)
            {
                *entry = None;
                table.free.push(self.slot);
            }
        });
    }
}

#[napi]
impl NativePoller {
    /// Validates the options (and `LIVENESS_TIMEOUT_SCALE`) at once, before any evaluation.
    /// `options_in` undefined: every option at its default (the common case, and converting an
    /// object of 14 fields costs more than the rest of an already-true wait). `clock_origin_ms`:
    /// where the wait's elapsed time starts on `monotonicMs()`, for the `*Step` methods.
    /// `timeout_ms`, `late_check_ms`: those two options as numbers, not in `options_in` (the
    /// options a wait is most often given, and the two the test's budget cuts: converting the
    /// object took a tenth of the CPU of a thousand concurrent waits, issue 19).
    #[napi(constructor, catch_unwind)]
    pub fn new(
        operation_name: String,
        argument_ms: Option<f64>,
        options_in: Option<NativeOptions>,
        timeout_scale: Option<String>,
        clock_origin_ms: Option<f64>,
        timeout_ms: Option<f64>,
        late_check_ms: Option<f64>,
    ) -> Result<Self> {
        let wait = Wait::build(
            operation_name,
            argument_ms,
            options_in,
            timeout_scale,
            clock_origin_ms,
            timeout_ms,
            late_check_ms,
        )?;
        WAITS
            .try_with(|table| {
                let mut table = table.try_borrow_mut().map_err(|_| no_wait())?;
                let slot = match table.free.pop() {
                    Some(slot) => {
                        table.waits[slot as usize] = Some(wait);
                        slot
                    }
                    None => {
                        let slot = u32::try_from(table.waits.len())
                            .map_err(|_| invalid_argument("liveness: too many native pollers"))?;
                        table.waits.push(Some(wait));
                        slot
                    }
                };
                Ok(NativePoller { slot })
            })
            .map_err(|_| no_wait())?
    }

    /// Makes this poller a new wait, as the constructor would (the arguments are the same): a
    /// driver reuses the poller of a wait that ended, since creating a napi object costs more than
    /// the rest of an already-true wait (issue 17). On an error the poller is left as it was.
    // The constructor's arguments (positional across napi: an object would cost a property read each).
    #[allow(clippy::too_many_arguments)]
    #[napi(catch_unwind)]
    pub fn reset(
        &mut self,
        operation_name: String,
        argument_ms: Option<f64>,
        options_in: Option<NativeOptions>,
        timeout_scale: Option<String>,
        clock_origin_ms: Option<f64>,
        timeout_ms: Option<f64>,
        late_check_ms: Option<f64>,
    ) -> Result<()> {
        let fresh = Wait::build(
            operation_name,
            argument_ms,
            options_in,
            timeout_scale,
            clock_origin_ms,
            timeout_ms,
            late_check_ms,
        )?;
        with_wait(self.slot, |w| {
            *w = fresh;
            Ok(())
        })
    }

    /// The poller's slot in this thread's table, for the per-evaluation functions (`pollerStep`, …).
    #[napi(getter)]
    pub fn slot(&self) -> u32 {
        self.slot
    }

    /// `accepted`, then `step`, at the same instant: one crossing per evaluation's end.
    #[napi(catch_unwind)]
    pub fn accepted_step(&mut self, text: Option<String>, at_ms: Option<f64>) -> Result<f64> {
        with_wait(self.slot, |w| {
            let now = w.now(at_ms);
            let text = text.map(liveness::poll::shorten_repr_owned);
            w.evaluated = Some(w.inner.finished(now, Outcome::Accepted { text }));
            Ok(w.step_at(now))
        })
    }

    /// `raised`, then `step`, at the same instant.
    #[napi(catch_unwind)]
    pub fn raised_step(&mut self, kind: String, text: String, at_ms: Option<f64>) -> Result<f64> {
        with_wait(self.slot, |w| {
            let now = w.now(at_ms);
            w.evaluated = Some(w.inner.finished(now, Outcome::Rejected(Failure::raised(kind, text))));
            Ok(w.step_at(now))
        })
    }

    /// `raised` at `endedAtMs`, then `step` at `atMs` with a turn passed in between (see `pollerReturnedTurnedStep`).
    #[napi(catch_unwind)]
    pub fn raised_turned_step(
        &mut self,
        kind: String,
        text: String,
        ended_at_ms: f64,
        at_ms: Option<f64>,
    ) -> Result<f64> {
        with_wait(self.slot, |w| {
            Ok(w.finished_turned_step(ended_at_ms, Outcome::Rejected(Failure::raised(kind, text)), at_ms))
        })
    }

    /// `prepared`, then `step`, at the same instant.
    #[napi(catch_unwind)]
    pub fn prepared_step(&mut self, at_ms: Option<f64>) -> Result<f64> {
        with_wait(self.slot, |w| {
            let now = w.now(at_ms);
            w.inner.prepared(now);
            Ok(w.step_at(now))
        })
    }

    /// What to do at `atMs`: a wait in ms (≥ 0), or `-1` evaluate, `-4` prepare (then `prepared`),
    /// `-5` let the event loop turn once, `-2` succeeded, `-3` failed (see `report()`). After `-1`
    /// and `-4`, `abandonAtMs` says when a step still pending is given up.
    #[napi(catch_unwind)]
    pub fn next(&mut self, at_ms: f64) -> Result<f64> {
        with_wait(self.slot, |w| Ok(w.next_at(at(at_ms))))
    }

    /// The last prepare or evaluate step's `abandon_at` in ms: an asynchronous step still pending
    /// then is given up (`abandon`). `null`: it is the last evaluation, let it finish.
    #[napi(getter, catch_unwind)]
    pub fn abandon_at_ms(&self) -> Result<Option<f64>> {
        with_wait(self.slot, |w| Ok(w.abandon_at.map(ms)))
    }

    /// The step (the preparation or an evaluation) begins; returns the evaluation's number
    /// (1-based; 0 for the preparation).
    #[napi(catch_unwind)]
    pub fn started(&mut self, at_ms: f64) -> Result<u32> {
        with_wait(self.slot, |w| Ok(w.inner.started(at(at_ms))))
    }

    /// The preparation (syncOperation's action, eventuallyChanges' baseline) completed.
    #[napi(catch_unwind)]
    pub fn prepared(&mut self, at_ms: f64) -> Result<()> {
        with_wait(self.slot, |w| {
            w.inner.prepared(at(at_ms));
            Ok(())
        })
    }

    /// The evaluation was accepted; `text` (the value's repr) is read when `wantsAcceptedText`.
    #[napi(catch_unwind)]
    pub fn accepted(&mut self, at_ms: f64, text: Option<String>) -> Result<()> {
        with_wait(self.slot, |w| {
            let text = text.map(liveness::poll::shorten_repr_owned);
            w.evaluated = Some(w.inner.finished(at(at_ms), Outcome::Accepted { text }));
            Ok(())
        })
    }

    /// The probe threw (or its Promise rejected).
    #[napi(catch_unwind)]
    pub fn raised(&mut self, at_ms: f64, kind: String, text: String) -> Result<()> {
        with_wait(self.slot, |w| {
            w.evaluated = Some(w.inner.finished(at(at_ms), Outcome::Rejected(Failure::raised(kind, text))));
            Ok(())
        })
    }

    /// The probe returned a value the operation does not accept (`repr` null: the same as the last).
    #[napi(catch_unwind)]
    pub fn returned(&mut self, at_ms: f64, repr: Option<String>, nullish: bool) -> Result<()> {
        with_wait(self.slot, |w| {
            let outcome = w.returned_outcome(repr, nullish)?;
            w.evaluated = Some(w.inner.finished(at(at_ms), outcome));
            Ok(())
        })
    }

    /// The evaluation the last `accepted`/`raised`/`returned` reported, as the core counted it.
    #[napi(catch_unwind)]
    pub fn evaluated(&self) -> Result<Option<NativeEvaluated>> {
        with_wait(self.slot, |w| {
            Ok(w.evaluated.map(|e| NativeEvaluated {
                number: e.number,
                started_ms: ms(e.started),
                duration_ms: ms(e.duration),
                accepted: e.accepted,
            }))
        })
    }

    /// A wake hint: an event matching `wakePatterns` was emitted at `atMs`. The core decides what
    /// it means (one during an evaluation earns one more right after it); pass every hint.
    #[napi(catch_unwind)]
    pub fn wake(&mut self, at_ms: f64) -> Result<()> {
        with_wait(self.slot, |w| {
            w.inner.wake(at(at_ms));
            Ok(())
        })
    }

    /// The wait ended without a done step (an error of the probe propagated, it was aborted, a
    /// hook threw): it leaves its clock's polling budget now, not when this poller is reset or
    /// collected (a pooled one may sit idle for the rest of the run).
    #[napi(catch_unwind)]
    pub fn leave_budget(&mut self) -> Result<()> {
        with_wait(self.slot, |w| {
            w.inner.leave_budget();
            Ok(())
        })
    }

    /// The preparation or evaluation in flight is still pending at `atMs` (its `abandonAtMs`):
    /// give up on it; the wait fails with the report returned.
    #[napi(catch_unwind)]
    pub fn abandon(&mut self, at_ms: f64) -> Result<NativeReport> {
        with_wait(self.slot, |w| {
            let r = w.inner.abandon(at(at_ms));
            let out = report(&r, &w.name);
            w.failed = Some(r);
            Ok(out)
        })
    }

    /// The failure after `next()` returned `-3`.
    #[napi(catch_unwind)]
    pub fn report(&self) -> Result<Option<NativeReport>> {
        with_wait(self.slot, |w| Ok(w.failed.as_ref().map(|r| report(r, &w.name))))
    }

    /// Elapsed ms at which the deadline falls (scaled by `LIVENESS_TIMEOUT_SCALE`).
    #[napi(getter, catch_unwind)]
    pub fn deadline_ms(&self) -> Result<f64> {
        with_wait(self.slot, |w| Ok(ms(w.inner.deadline())))
    }

    #[napi(getter, catch_unwind)]
    pub fn evaluations(&self) -> Result<u32> {
        with_wait(self.slot, |w| Ok(w.inner.evaluations()))
    }

    /// Whether accepted values should be described (`never`, `eventuallySettles` and a wait with
    /// `atLeast` show them).
    #[napi(getter, catch_unwind)]
    pub fn wants_accepted_text(&self) -> Result<bool> {
        with_wait(self.slot, |w| Ok(w.inner.wants_accepted_text()))
    }

    #[napi(getter, catch_unwind)]
    pub fn wake_patterns(&self) -> Result<Vec<String>> {
        with_wait(self.slot, |w| Ok(w.inner.wake_patterns().to_vec()))
    }

    /// The wait's `wakeOnPath`, validated (for `NativeWake`).
    #[napi(getter, catch_unwind)]
    pub fn wake_paths(&self) -> Result<Vec<String>> {
        with_wait(self.slot, |w| Ok(w.inner.wake_paths().iter().map(|p| p.to_string_lossy().into_owned()).collect()))
    }
}
