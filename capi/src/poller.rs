//! The sans-IO poller from C: for hosts that cannot block a thread while they wait (an event
//! loop such as libuv or GLib, a simulation with a virtual clock). The poller decides every rule
//! (when to prepare, evaluate, yield, wait, give up, and what the failure says); the caller only
//! executes its steps with its own clock. It is the core's Poller made for `Driver::EventLoop`,
//! since that is what it exists for: it asks to yield between back-to-back evaluations, and
//! bounds the steps an asynchronous host may still have pending at the deadline (`abandon_at_ms`).
//! The C conformance runner (tests/c/conformance) drives it as an event-loop host would.

use std::ffi::{c_char, c_int};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::{self, Thread};
use std::time::{Duration, Instant};

use liveness_core::Error;
use liveness_core::events::WakeSubscription;
use liveness_core::policy::duration_from_millis;
use liveness_core::poll::{Budget, Driver, Failure, Operation, Outcome, Poller, Report, Spelling, Step};
use liveness_core::testing::VirtualClock;

use crate::args::{opt_str_arg, out_arg, str_arg};
use crate::boundary::{boundary, clear_last_error, fail, guarded, set_last_error};
use crate::handles::POLLERS;
use crate::hook::OnEvaluation;
use crate::options::{liveness_options, read_options};
use crate::status::liveness_status;

/// The operations, for liveness_poller_new(). The numbers are part of the ABI.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum liveness_operation {
    LIVENESS_OP_EVENTUALLY = 0,
    LIVENESS_OP_EVENTUALLY_PASSES = 1,
    /// The baseline is read at LIVENESS_STEP_PREPARE; the caller compares each later value with
    /// it and reports one equal to it with liveness_poller_returned() (worded "(unchanged)").
    LIVENESS_OP_EVENTUALLY_CHANGES = 2,
    /// The action is fired at LIVENESS_STEP_PREPARE, on the wait's clock.
    LIVENESS_OP_SYNC_OPERATION = 3,
    LIVENESS_OP_ALWAYS = 4,
    LIVENESS_OP_NEVER = 5,
    /// The `duration_ms` of liveness_poller_new() is the quiet period (`quiet_ms`). The caller
    /// compares each value with the previous evaluation's: equal is
    /// liveness_poller_accepted() with the value's text; the first value, a different one, and
    /// the first after an evaluation that raised are liveness_poller_returned() (a raise clears
    /// "previous").
    LIVENESS_OP_EVENTUALLY_SETTLES = 6,
}

/// What the caller should do now (see liveness_poller_next()). The numbers are part of the ABI;
/// new kinds are only ever added at the end.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum liveness_step_kind {
    /// Evaluate now: liveness_poller_started(), call the probe, then report its outcome
    /// (liveness_poller_accepted(), _raised() or _returned()). An asynchronous call still pending
    /// at `abandon_at_ms` is given up there: liveness_poller_abandon().
    LIVENESS_STEP_EVALUATE = 0,
    /// Wait `wait_ms` (less if a wake hint arrives: liveness_poller_wake()), then ask again.
    LIVENESS_STEP_WAIT = 1,
    /// The operation is over; `status` is LIVENESS_OK, LIVENESS_TIMEOUT or LIVENESS_VIOLATED.
    LIVENESS_STEP_DONE = 2,
    /// Run the preparation now (the action of LIVENESS_OP_SYNC_OPERATION, the baseline read of
    /// LIVENESS_OP_EVENTUALLY_CHANGES): liveness_poller_started(), run it, then
    /// liveness_poller_prepared(). It runs on the wait's clock: its time counts toward the
    /// timeout. If it fails, the wait is over: report that failure as your own and free the
    /// poller. One still pending at `abandon_at_ms` is given up: liveness_poller_abandon().
    LIVENESS_STEP_PREPARE = 3,
    /// Let the event loop run once (a zero-delay timer, an idle callback), then ask again at
    /// once: two evaluations back to back must not hold the loop. A host with nothing else to
    /// run just asks again.
    LIVENESS_STEP_YIELD = 4,
}

/// `abandon_at_ms` of a step that must be let finish, however long it takes (the evaluation that
/// starts at the deadline, and every step that is not PREPARE or EVALUATE). Negative, because
/// every time a poller is given is zero or more.
pub const LIVENESS_NO_ABANDON: f64 = -1.0;

/// One decision of the poller.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct liveness_step {
    pub kind: liveness_step_kind,
    /// For LIVENESS_STEP_WAIT: how long, in milliseconds.
    pub wait_ms: f64,
    /// For LIVENESS_STEP_DONE: the result (the report is in liveness_last_error_message()).
    pub status: liveness_status,
    /// For LIVENESS_STEP_PREPARE and LIVENESS_STEP_EVALUATE: the time (on the poller's clock) at
    /// which a call that is still pending must be given up with liveness_poller_abandon(), or
    /// LIVENESS_NO_ABANDON (negative) when it must be let finish. Only a host whose calls can be
    /// pending (asynchronous ones) needs it: a synchronous call has finished before it could act.
    pub abandon_at_ms: f64,
}

/// A wait in progress (opaque): made by liveness_poller_new(), freed by liveness_poller_free().
/// The pointer is a checked handle, not an address: a freed (or never made) poller passed to any
/// liveness_poller_* function is answered with LIVENESS_INVALID_ARGUMENT.
pub struct liveness_poller {
    _opaque: [u8; 0],
}

/// What a handle stands for: the core's poller, the latest time the caller gave it, the
/// options' hook, and what a host that waits on the calling thread uses (the clock the poller was
/// made on, its wake-hint subscription, where the wait is written).
pub(crate) struct PollerState {
    poller: Poller,
    latest: Duration,
    on_evaluation: Option<OnEvaluation>,
    clock: Clock,
    /// Subscribed to `wake_on` at the first liveness_poller_now_ms() / _wait(): only a host that
    /// lets liveness wait for it gets its hints delivered by liveness (an event loop attaches its
    /// own handler and calls liveness_poller_wake()).
    hints: Option<(Arc<Hints>, Option<WakeSubscription>)>,
    /// `file:line` from liveness_poller_set_origin(): the failure report starts with it.
    origin: Option<String>,
}

/// The clock of the thread that made the poller, for liveness_poller_now_ms() / _wait(): the
/// monotonic clock, or that thread's virtual clock (clock.rs) when one was installed then.
#[derive(Clone)]
enum Clock {
    Real(Instant),
    Virtual { clock: VirtualClock, origin: Duration },
}

impl Clock {
    fn for_this_thread() -> Clock {
        match VirtualClock::installed() {
            Some(clock) => Clock::Virtual { origin: clock.now(), clock },
            None => Clock::Real(Instant::now()),
        }
    }

    fn elapsed(&self) -> Duration {
        match self {
            Clock::Real(origin) => origin.elapsed(),
            Clock::Virtual { clock, origin } => clock.now().saturating_sub(*origin),
        }
    }
}

/// Wake hints for a waiting host: the latest hint's time (nanoseconds on the poller's clock, + 1;
/// 0 = none pending) and the thread parked in liveness_poller_wait().
struct Hints {
    latest: AtomicU64,
    waiter: Mutex<Option<Thread>>,
    clock: Clock,
}

impl Hints {
    fn wake(&self) {
        let nanos = u64::try_from(self.clock.elapsed().as_nanos()).unwrap_or(u64::MAX - 1);
        self.latest.store(nanos + 1, Ordering::Release);
        if let Some(waiter) = self.waiter.lock().unwrap_or_else(PoisonError::into_inner).as_ref() {
            waiter.unpark();
        }
    }

    fn pending(&self) -> bool {
        self.latest.load(Ordering::Acquire) != 0
    }

    fn take(&self) -> Option<Duration> {
        match self.latest.swap(0, Ordering::AcqRel) {
            0 => None,
            n => Some(Duration::from_nanos(n - 1)),
        }
    }

    /// Waits up to `d` on the clock, returning early on a hint (a virtual clock is advanced
    /// instead, unless a hint is pending).
    fn park(&self, d: Duration) {
        if let Clock::Virtual { clock, .. } = &self.clock {
            if !self.pending() {
                clock.advance(d);
            }
            return;
        }
        *self.waiter.lock().unwrap_or_else(PoisonError::into_inner) = Some(thread::current());
        let until = Instant::now().checked_add(d);
        while !self.pending() {
            let now = Instant::now();
            match until {
                Some(until) if now >= until => break,
                Some(until) => thread::park_timeout(until - now),
                None => thread::park(),
            }
        }
        *self.waiter.lock().unwrap_or_else(PoisonError::into_inner) = None;
    }
}

impl PollerState {
    /// `now_ms` as a time on this poller's clock: a time earlier than one the poller already saw
    /// is the caller's bug (a clock that went backwards), reported rather than guessed around.
    fn at(&mut self, now_ms: f64) -> Result<Duration, Error> {
        let now = at(now_ms)?;
        if now < self.latest {
            return Err(Error::invalid_argument(format!(
                "`now_ms` {now_ms} is earlier than {} ms, a time this poller was already given: \
                 times must never go backwards (use a monotonic clock)",
                self.latest.as_secs_f64() * 1000.0
            )));
        }
        self.latest = now;
        Ok(now)
    }
}

/// The operation `code` names, with its duration argument: `during` of always/never, `quiet` of
/// eventually_settles (named as the blocking functions name them in errors).
fn operation(code: i32, duration_ms: f64) -> Result<Operation, Error> {
    let during = || duration_from_millis("during_ms", duration_ms);
    Ok(match code {
        0 => Operation::Eventually,
        1 => Operation::EventuallyPasses,
        2 => Operation::EventuallyChanges,
        3 => Operation::SyncOperation,
        4 => Operation::Always { during: during()? },
        5 => Operation::Never { during: during()? },
        6 => Operation::EventuallySettles { quiet: duration_from_millis("quiet_ms", duration_ms)? },
        n => return Err(Error::invalid_argument(format!("`operation` {n} is not a liveness_operation"))),
    })
}

fn at(now_ms: f64) -> Result<Duration, Error> {
    duration_from_millis("now_ms", now_ms)
}

fn millis(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// A failed wait's status, with its report as the last error (after the wait's `file:line: `
/// when liveness_poller_set_origin() named it).
fn failed(report: &Report, origin: Option<&str>) -> liveness_status {
    match origin {
        Some(origin) => set_last_error(&format!("{origin}: {report}")),
        None => set_last_error(&report.to_string()),
    }
    if report.is_violation() { liveness_status::LIVENESS_VIOLATED } else { liveness_status::LIVENESS_TIMEOUT }
}

/// Runs `body` on the poller behind the handle `p`. A poller is used by one thread at a time: a
/// second thread using it at the same moment gets LIVENESS_INVALID_ARGUMENT instead of waiting
/// (so does a child of fork() using a poller another thread of the parent was using then).
fn with_poller<T>(
    p: *mut liveness_poller,
    body: impl FnOnce(&mut PollerState) -> Result<T, Error>,
) -> Result<T, Error> {
    let state = POLLERS.get("poller", p as usize)?;
    let mut guard = match state.try_lock() {
        Ok(guard) => guard,
        Err(std::sync::TryLockError::Poisoned(poisoned)) => poisoned.into_inner(),
        Err(std::sync::TryLockError::WouldBlock) => {
            return Err(Error::invalid_argument(
                "`poller` is in use by another thread right now: a poller is used by one thread at a time",
            ));
        }
    };
    body(&mut guard)
}

/// Starts a wait for `operation` (a liveness_operation) with `opts` (NULL = defaults);
/// `duration_ms` is the operation's duration argument: `during_ms` of LIVENESS_OP_ALWAYS /
/// LIVENESS_OP_NEVER, `quiet_ms` of LIVENESS_OP_EVENTUALLY_SETTLES, unused by the others (errors
/// name it as those). Times passed to the other
/// poller functions are milliseconds elapsed since the wait began, on the caller's clock (a
/// monotonic one, or a virtual one). Options and LIVENESS_TIMEOUT_SCALE are checked here.
/// Stores the poller in `*out` (NULL on error). A poller is used by one thread at a time.
///
/// The poller is made for an event-loop host: it asks to yield (LIVENESS_STEP_YIELD) between
/// two evaluations that follow each other at once, and gives each PREPARE / EVALUATE step the
/// time to abandon it at. `opts.wake_on` is checked but not subscribed to: the host attaches its
/// own handler (liveness_attach()) and reports hints with liveness_poller_wake() (unless it waits
/// with liveness_poller_wait(), which subscribes). `opts.wake_on_path` is checked here and
/// watched from the first liveness_poller_now_ms() / _wait(): a host that keeps its own clock
/// and waits its own way calls liveness_poller_now_ms() before each wait to have the paths watched
/// and their changes handed to the poller.
/// `opts.on_evaluation` is called by liveness_poller_accepted(), _raised() and _returned(), after
/// the poller counted the evaluation (a liveness_probe_stop() in it makes that call return
/// LIVENESS_PROBE_FAILED: end the wait and free the poller). With `opts.timeout_ms` INFINITY
/// every step's `abandon_at_ms` is LIVENESS_NO_ABANDON.
/// On the default schedule the poller shares its clock's polling budget (SPEC §2): the other
/// waits in progress lengthen its period. Its clock is this thread's virtual clock when one is
/// installed now (liveness_virtual_clock_install()), else the process's real one.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn liveness_poller_new(
    operation_code: i32,
    duration_ms: f64,
    opts: *const liveness_options,
    out: *mut *mut liveness_poller,
) -> liveness_status {
    guarded(|| {
        let out = unsafe { out_arg("out", out) }?;
        *out = std::ptr::null_mut();
        let operation = operation(operation_code, duration_ms)?;
        let read = unsafe { read_options(opts) }?;
        let mut poller = Poller::new(operation, &read.options, Spelling::C, Driver::EventLoop)?;
        let clock = Clock::for_this_thread();
        // A poller made on this thread's virtual clock counts in that clock's budget (SPEC §2):
        // its virtual costs must not slow the process's real waits, nor be slowed by them.
        poller.set_budget(Budget::for_this_thread());
        let state = std::sync::Mutex::new(PollerState {
            poller,
            latest: Duration::ZERO,
            on_evaluation: read.on_evaluation,
            clock,
            hints: None,
            origin: None,
        });
        *out = POLLERS.insert(state)? as *mut liveness_poller;
        Ok(())
    })
}

/// Decides what to do at `now_ms` and stores it in `*out_step`. Returns LIVENESS_OK when it
/// decided (whatever the decision); with LIVENESS_STEP_DONE and a status other than OK, the
/// report is in liveness_last_error_message().
#[unsafe(no_mangle)]
pub unsafe extern "C" fn liveness_poller_next(
    poller_ptr: *mut liveness_poller,
    now_ms: f64,
    out_step: *mut liveness_step,
) -> liveness_status {
    guarded(|| {
        let out = unsafe { out_arg("out_step", out_step) }?;
        let (decided, origin) = with_poller(poller_ptr, |state| {
            let now = state.at(now_ms)?;
            Ok((state.poller.next(now), state.origin.clone()))
        })?;
        let step = |kind, abandon_at: Option<Duration>| liveness_step {
            kind,
            wait_ms: 0.0,
            status: liveness_status::LIVENESS_OK,
            abandon_at_ms: abandon_at.map_or(LIVENESS_NO_ABANDON, millis),
        };
        let step = match decided {
            Step::Prepare { abandon_at } => step(liveness_step_kind::LIVENESS_STEP_PREPARE, abandon_at),
            Step::Evaluate { abandon_at } => step(liveness_step_kind::LIVENESS_STEP_EVALUATE, abandon_at),
            Step::Yield => step(liveness_step_kind::LIVENESS_STEP_YIELD, None),
            Step::Wait(d) => liveness_step { wait_ms: millis(d), ..step(liveness_step_kind::LIVENESS_STEP_WAIT, None) },
            Step::Done(result) => liveness_step {
                status: match result {
                    Ok(()) => liveness_status::LIVENESS_OK,
                    Err(report) => failed(&report, origin.as_deref()),
                },
                ..step(liveness_step_kind::LIVENESS_STEP_DONE, None)
            },
        };
        *out = step;
        Ok(())
    })
}

/// The preparation (after LIVENESS_STEP_PREPARE) or an evaluation (after LIVENESS_STEP_EVALUATE)
/// starts at `now_ms`; stores the evaluation's 1-based number in `*out_number` (0 for the
/// preparation; `out_number` may be NULL).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn liveness_poller_started(
    poller_ptr: *mut liveness_poller,
    now_ms: f64,
    out_number: *mut u32,
) -> liveness_status {
    guarded(|| {
        let number = with_poller(poller_ptr, |state| {
            let now = state.at(now_ms)?;
            Ok(state.poller.started(now))
        })?;
        if let Some(out) = unsafe { out_number.as_mut() } {
            *out = number;
        }
        Ok(())
    })
}

/// Reports the outcome of the evaluation in flight, then calls the options' hook with it as the
/// poller counted it: outside the poller's lock, so that a hook may use the poller (to read the
/// next step, say) without being refused as "in use".
fn finish(
    poller_ptr: *mut liveness_poller,
    now_ms: f64,
    outcome: impl FnOnce() -> Result<Outcome, Error>,
) -> Result<(), Error> {
    let (evaluated, hook) = with_poller(poller_ptr, |state| {
        let now = state.at(now_ms)?;
        Ok((state.poller.finished(now, outcome()?), state.on_evaluation))
    })?;
    hook.map_or(Ok(()), |hook| hook.call(evaluated))
}

/// The evaluation that started last ended at `now_ms` and was accepted. `value_text` (may be
/// NULL) describes the value; liveness_never() reports it when it held.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn liveness_poller_accepted(
    poller_ptr: *mut liveness_poller,
    now_ms: f64,
    value_text: *const c_char,
) -> liveness_status {
    guarded(|| {
        finish(poller_ptr, now_ms, || {
            let text = unsafe { opt_str_arg("value_text", value_text) }?.map(str::to_owned);
            Ok(Outcome::Accepted { text })
        })
    })
}

/// The evaluation that started last ended at `now_ms` by raising an error of type `kind` with
/// message `text` (both copied); shown as "last: kind: text" and grouped in the history by both.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn liveness_poller_raised(
    poller_ptr: *mut liveness_poller,
    now_ms: f64,
    kind: *const c_char,
    text: *const c_char,
) -> liveness_status {
    guarded(|| {
        finish(poller_ptr, now_ms, || {
            let kind = unsafe { str_arg("kind", kind) }?;
            let text = unsafe { str_arg("text", text) }?;
            // Copied: the C strings are the caller's (an unbounded borrow must not be kept).
            Ok(Outcome::Rejected(Failure::raised(kind.to_owned(), text.to_owned())))
        })
    })
}

/// The evaluation that started last ended at `now_ms` returning a value that is not accepted,
/// shown as `repr` (copied). `nullish` marks a "nothing" value (NULL, none), so that a timeout
/// where every evaluation returned nothing gets a hint.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn liveness_poller_returned(
    poller_ptr: *mut liveness_poller,
    now_ms: f64,
    repr: *const c_char,
    nullish: bool,
) -> liveness_status {
    guarded(|| {
        finish(poller_ptr, now_ms, || {
            let repr = unsafe { str_arg("repr", repr) }?;
            Ok(Outcome::Rejected(Failure::returned(repr.to_owned(), nullish)))
        })
    })
}

/// The preparation (after LIVENESS_STEP_PREPARE and liveness_poller_started()) completed at
/// `now_ms`. One that failed is not reported: the wait is over, and its failure is the caller's
/// to report.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn liveness_poller_prepared(poller_ptr: *mut liveness_poller, now_ms: f64) -> liveness_status {
    guarded(|| {
        with_poller(poller_ptr, |state| {
            let now = state.at(now_ms)?;
            state.poller.prepared(now);
            Ok(())
        })
    })
}

/// The preparation or evaluation in flight is still pending at `now_ms` (its step's
/// `abandon_at_ms`): it is given up (never resume it, ignore its result) and the wait fails.
/// Returns LIVENESS_TIMEOUT with the report ("evaluation #N still running after ...", "the action
/// still running after ...") in liveness_last_error_message(); liveness_poller_next() answers
/// LIVENESS_STEP_DONE with the same status from then on. LIVENESS_INVALID_ARGUMENT for a bad
/// handle or time, as the other poller functions.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn liveness_poller_abandon(poller_ptr: *mut liveness_poller, now_ms: f64) -> liveness_status {
    boundary(liveness_status::LIVENESS_INTERNAL, || {
        clear_last_error();
        let abandoned = with_poller(poller_ptr, |state| {
            let now = state.at(now_ms)?;
            Ok((state.poller.abandon(now), state.origin.clone()))
        });
        match abandoned {
            Ok((report, origin)) => failed(&report, origin.as_deref()),
            Err(error) => fail(&error),
        }
    })
}

/// A wake hint: an event matching `opts.wake_on` was emitted at `now_ms` on the poller's clock.
/// Pass the time the event happened, even when the host learns of it later (a hint delivered
/// after the evaluation it arrived during still earns one more evaluation), so it may be earlier
/// than a time already given to the poller. The poller decides what it means: a hint between
/// evaluations makes the next liveness_poller_next() say evaluate at once; one during an
/// evaluation earns one more evaluation as soon as that one ends; one older than the last
/// evaluation's start was answered by it.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn liveness_poller_wake(poller_ptr: *mut liveness_poller, now_ms: f64) -> liveness_status {
    guarded(|| {
        // Not `state.at`: a hint's time is not "now" and may lie before the latest time given.
        let at = at(now_ms)?;
        with_poller(poller_ptr, |state| {
            state.poller.wake(at);
            Ok(())
        })
    })
}

/// For a host that waits on the calling thread (a test's inline loop, as the macros of
/// liveness_assert.h run): stores in `*out_ms` the time elapsed since liveness_poller_new(), on
/// the clock of the thread that made the poller: a monotonic clock, or that thread's virtual
/// clock (liveness_virtual_clock_install()) when one was installed then. The first call of it or
/// of liveness_poller_wait() subscribes the poller to `opts.wake_on` and `opts.wake_on_path`, and every call hands the
/// poller a hint emitted since (as liveness_poller_wake() would). An event-loop host that keeps
/// its own clock needs neither.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn liveness_poller_now_ms(poller_ptr: *mut liveness_poller, out_ms: *mut f64) -> liveness_status {
    guarded(|| {
        let out = unsafe { out_arg("out_ms", out_ms) }?;
        *out = with_poller(poller_ptr, |state| {
            state.deliver_hints()?;
            Ok(millis(state.clock.elapsed()))
        })?;
        Ok(())
    })
}

/// For a host that waits on the calling thread: blocks it for `ms` milliseconds (a
/// LIVENESS_STEP_WAIT's `wait_ms`) on the poller's clock (liveness_poller_now_ms()), returning
/// early when an event matching `opts.wake_on` is emitted from any thread or a path of
/// `opts.wake_on_path` changes; on a virtual clock it
/// advances the clock instead of sleeping (and does not when a hint is pending). A `ms` too large
/// for a time waits until a hint (forever without `wake_on` and `wake_on_path`). LIVENESS_INVALID_ARGUMENT for a
/// negative, NaN or infinite `ms`, or a bad handle. The poller is not locked while waiting.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn liveness_poller_wait(poller_ptr: *mut liveness_poller, ms: f64) -> liveness_status {
    guarded(|| {
        let d = duration_from_millis("ms", ms)?;
        let hints = with_poller(poller_ptr, PollerState::deliver_hints)?;
        hints.park(d);
        with_poller(poller_ptr, PollerState::deliver_hints).map(drop)
    })
}

/// Names where the wait is written (`file`, copied, and `line`, as `__FILE__` and `__LINE__`
/// give them): the report of its failure (LIVENESS_STEP_DONE, liveness_poller_abandon()) in
/// liveness_last_error_message() then starts with `file:line: `. LIVENESS_INVALID_ARGUMENT for a
/// NULL or non-UTF-8 `file`, or a bad handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn liveness_poller_set_origin(
    poller_ptr: *mut liveness_poller,
    file: *const c_char,
    line: c_int,
) -> liveness_status {
    guarded(|| {
        let file = unsafe { str_arg("file", file) }?;
        let origin = format!("{file}:{line}");
        with_poller(poller_ptr, |state| {
            state.origin = Some(origin);
            Ok(())
        })
    })
}

impl PollerState {
    /// Subscribes to `wake_on` and `wake_on_path` (once; a poller without either gets a
    /// subscription-less waiter)
    /// and hands the poller the hint emitted since the last call, if any. Returns the waiter.
    fn deliver_hints(&mut self) -> Result<Arc<Hints>, Error> {
        if self.hints.is_none() {
            let hints =
                Arc::new(Hints { latest: AtomicU64::new(0), waiter: Mutex::new(None), clock: self.clock.clone() });
            let waker = Arc::clone(&hints);
            let subscription = self.poller.subscribe_wakes(move || waker.wake())?;
            self.hints = Some((hints, subscription));
        }
        let hints = match &self.hints {
            Some((hints, _)) => Arc::clone(hints),
            None => return Err(Error::invalid_argument("the poller's wake hints could not be set up")),
        };
        if let Some(at) = hints.take() {
            self.poller.wake(at);
        }
        Ok(hints)
    }
}

/// Frees a poller. NULL is allowed. Freeing a live poller leaves liveness_last_error_message()
/// as it was, so the report of its LIVENESS_STEP_DONE survives the free. Freeing it twice, or a
/// handle that is not a live poller, does nothing but set liveness_last_error_message() (checked
/// handles: see the header's preamble).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn liveness_poller_free(poller_ptr: *mut liveness_poller) {
    boundary((), || {
        if !poller_ptr.is_null() {
            if let Err(error) = POLLERS.remove("poller", poller_ptr as usize) {
                fail(&error);
            }
        }
    })
}
