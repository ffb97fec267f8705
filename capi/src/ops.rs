//! The polling operations of SPEC §1 and §4 for C probes. Each reads its arguments, then hands the
//! probe to the core's blocking driver, which parks the calling thread between evaluations.

use std::ffi::c_void;

use liveness_core::Error;
use liveness_core::policy::duration_from_millis;
use liveness_core::poll::{Failure, Operation, Outcome, Probe};

use crate::args::callback_arg;
use crate::boundary::guarded;
use crate::driver::run_blocking;
use crate::options::{liveness_options, read_options};
use crate::probe::{FAILURE_KIND, call, liveness_probe, liveness_value_probe};
use crate::status::liveness_status;

type BoolFn = unsafe extern "C" fn(*mut c_void) -> bool;
type ValueFn = unsafe extern "C" fn(*mut c_void, *mut i64) -> bool;

/// A boolean C probe as the driver calls it, with liveness_sync_operation()'s action as its
/// preparation. The caller promises that both may be called with `ctx`.
struct BoolProbe {
    action: Option<BoolFn>,
    probe: BoolFn,
    ctx: *mut c_void,
    /// Whether an accepted evaluation says "true" (`never`'s and `at_least`'s reports show it).
    accepted_text: bool,
}

impl Probe for BoolProbe {
    type Stop = Error;

    fn prepare(&mut self) -> Result<(), Error> {
        let Some(action) = self.action else { return Ok(()) };
        // SAFETY: the caller's promise. A failed action propagates as itself (SPEC §4).
        call(|| unsafe { action(self.ctx) }.then_some(()))?.map_err(|failure| Error::Probe { failure })
    }

    fn want_accepted_text(&mut self, wanted: bool) {
        self.accepted_text = wanted;
    }

    fn evaluate(&mut self) -> Result<Outcome, Error> {
        // SAFETY: the caller's promise.
        Ok(match call(|| unsafe { (self.probe)(self.ctx) }.then_some(()))? {
            Ok(()) => Outcome::Accepted { text: self.accepted_text.then(|| "true".to_owned()) },
            Err(failure) => Outcome::Rejected(failure),
        })
    }
}

/// A C value probe: one call reads the value, or says why it cannot be read now.
struct ValueReader {
    probe: ValueFn,
    ctx: *mut c_void,
}

impl ValueReader {
    fn read(&mut self) -> Result<Result<i64, Failure>, Error> {
        let mut value = 0i64;
        // SAFETY: the caller promises that `probe` may be called with `ctx`.
        call(|| unsafe { (self.probe)(self.ctx, &mut value) }.then_some(value))
    }
}

/// A read that returned a bare `false`: no value at all, which must not be worded as a value
/// ("returned false (unchanged)").
fn no_value_read(failure: Failure) -> Failure {
    match failure {
        Failure::Returned { .. } => Failure::raised(FAILURE_KIND, "no value read (the probe returned false)"),
        failure => failure,
    }
}

/// liveness_eventually_changes()' value probe as the driver calls it: the first read (the
/// preparation) is the baseline, later reads are accepted when they differ from it.
struct ValueProbe {
    reader: ValueReader,
    baseline: i64,
    changed: Option<i64>,
}

impl Probe for ValueProbe {
    type Stop = Error;

    fn prepare(&mut self) -> Result<(), Error> {
        self.baseline = self.reader.read()?.map_err(|failure| Error::Probe { failure })?;
        Ok(())
    }

    fn evaluate(&mut self) -> Result<Outcome, Error> {
        Ok(match self.reader.read()? {
            Ok(value) if value != self.baseline => {
                self.changed = Some(value);
                Outcome::Accepted { text: Some(value.to_string()) }
            }
            // The baseline seen again: the Poller words it "(unchanged)".
            Ok(value) => Outcome::Rejected(Failure::returned(value.to_string(), false)),
            Err(failure) => Outcome::Rejected(no_value_read(failure)),
        })
    }
}

/// liveness_eventually_settles()' value probe as the driver calls it: a read equal to the
/// previous one is accepted; the first, a different one, and the first after a failed read are
/// new values, rejected (the core starts their quiet period).
struct SettlingProbe {
    reader: ValueReader,
    /// The previous evaluation's value; a failed read has none, so the next value is new.
    previous: Option<i64>,
}

impl Probe for SettlingProbe {
    type Stop = Error;

    fn evaluate(&mut self) -> Result<Outcome, Error> {
        let read = self.reader.read()?;
        let previous = std::mem::replace(&mut self.previous, read.as_ref().ok().copied());
        Ok(match read {
            Ok(value) if previous == Some(value) => Outcome::Accepted { text: Some(value.to_string()) },
            Ok(value) => Outcome::Rejected(Failure::returned(value.to_string(), false)),
            Err(failure) => Outcome::Rejected(no_value_read(failure)),
        })
    }
}

/// Runs the boolean probe `name` (after `action`, if any) under `operation`.
///
/// # Safety
/// As the public functions: valid `opts`, and callbacks callable with `ctx`.
unsafe fn poll_bool(
    operation: impl FnOnce() -> Result<Operation, Error>,
    action: Option<BoolFn>,
    (name, probe): (&str, liveness_probe),
    ctx: *mut c_void,
    opts: *const liveness_options,
) -> Result<(), Error> {
    let probe = callback_arg(name, probe)?;
    let read = unsafe { read_options(opts) }?;
    run_blocking(operation()?, &read, &mut BoolProbe { action, probe, ctx, accepted_text: true })
}

/// Waits until `probe(ctx)` returns true: evaluates it at once, then on the schedule of `opts`
/// (NULL = defaults) until it passes or the timeout passes.
///
/// Returns LIVENESS_OK once it passed; LIVENESS_TIMEOUT when it never did (the report, with the
/// last liveness_probe_fail() text, is in liveness_last_error_message()); LIVENESS_PROBE_FAILED
/// when the probe called liveness_probe_stop(); LIVENESS_INVALID_ARGUMENT for a NULL probe or bad
/// options (the probe is then never called).
///
/// Blocks the calling thread; the probe runs on it. Thread-safe: any number of threads may wait at
/// once. `ctx` is passed through untouched and may be NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn liveness_eventually(
    probe: liveness_probe,
    ctx: *mut c_void,
    opts: *const liveness_options,
) -> liveness_status {
    guarded(|| unsafe { poll_bool(|| Ok(Operation::Eventually), None, ("probe", probe), ctx, opts) })
}

/// As liveness_eventually(), for a block of checks: named `eventually_passes` in messages. A C
/// block passes by returning true and fails by returning false (with liveness_probe_fail() to say
/// why); there is no exception to catch in C, so both operations accept the same results.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn liveness_eventually_passes(
    block: liveness_probe,
    ctx: *mut c_void,
    opts: *const liveness_options,
) -> liveness_status {
    guarded(|| unsafe { poll_bool(|| Ok(Operation::EventuallyPasses), None, ("block", block), ctx, opts) })
}

/// Checks a safety property: `probe` must pass at every evaluation for `during_ms` (evaluated on
/// the schedule of `opts`, with a last evaluation at the end). Returns LIVENESS_OK when it always
/// passed, LIVENESS_VIOLATED at the first evaluation that failed (the message shows that failure).
/// `opts.timeout_ms` is not used. Otherwise as liveness_eventually().
#[unsafe(no_mangle)]
pub unsafe extern "C" fn liveness_always(
    probe: liveness_probe,
    ctx: *mut c_void,
    during_ms: f64,
    opts: *const liveness_options,
) -> liveness_status {
    let during = || duration_from_millis("during_ms", during_ms);
    guarded(|| unsafe { poll_bool(|| Ok(Operation::Always { during: during()? }), None, ("probe", probe), ctx, opts) })
}

/// Checks that `probe` never passes during `during_ms`: LIVENESS_OK when it never did,
/// LIVENESS_VIOLATED at the first evaluation that passed. Otherwise as liveness_always().
#[unsafe(no_mangle)]
pub unsafe extern "C" fn liveness_never(
    probe: liveness_probe,
    ctx: *mut c_void,
    during_ms: f64,
    opts: *const liveness_options,
) -> liveness_status {
    let during = || duration_from_millis("during_ms", during_ms);
    guarded(|| unsafe { poll_bool(|| Ok(Operation::Never { during: during()? }), None, ("probe", probe), ctx, opts) })
}

/// Waits for a value to change (a restarted service gets a new id): reads a baseline with one
/// call of `probe`, then polls until the value differs from it and stores the new value in
/// `*new_value` (which may be NULL when the value is not wanted). The baseline is read on the
/// wait's clock: its time counts toward the timeout.
///
/// If the baseline cannot be read (`probe` returns false), returns LIVENESS_PROBE_FAILED at once.
/// Otherwise as liveness_eventually(); the timeout report shows the value seen again, as
/// "returned 17 (unchanged)", and a read that returned false without liveness_probe_fail() as
/// "no value read".
#[unsafe(no_mangle)]
pub unsafe extern "C" fn liveness_eventually_changes(
    probe: liveness_value_probe,
    ctx: *mut c_void,
    opts: *const liveness_options,
    new_value: *mut i64,
) -> liveness_status {
    guarded(|| {
        let probe = callback_arg("probe", probe)?;
        let read = unsafe { read_options(opts) }?;
        let mut probe = ValueProbe { reader: ValueReader { probe, ctx }, baseline: 0, changed: None };
        run_blocking(Operation::EventuallyChanges, &read, &mut probe)?;
        if let (Some(value), Some(out)) = (probe.changed, unsafe { new_value.as_mut() }) {
            *out = value;
        }
        Ok(())
    })
}

/// Waits for a value to stop changing (a queue that stopped filling, a file that stopped
/// growing): polls `probe` on the schedule of `opts` until it read the same value for `quiet_ms`,
/// counted from the first evaluation that read it, and stores that value in `*settled_value`
/// (which may be NULL when the value is not wanted). Each read equal to the previous one is an
/// accepted evaluation; the first read, a different value, and the first value after a read that
/// returned false are new values, whose quiet period starts then. `quiet_ms` is required (0
/// means: two equal reads in a row), scaled by LIVENESS_TIMEOUT_SCALE like `stable_for_ms`, and
/// must not be longer than `opts.timeout_ms`; `opts.stable_for_ms` must be 0.
///
/// A read that returns false (with liveness_probe_fail() to say why) is a failed evaluation and
/// is retried. Returns LIVENESS_TIMEOUT when no value stayed the same for `quiet_ms` in time: the
/// report ("not settled for 0.03 s after 0.05 s (6 evaluations); the longest a value stayed the
/// same was 0.02 s") shows the values read, in order. Otherwise as liveness_eventually().
#[unsafe(no_mangle)]
pub unsafe extern "C" fn liveness_eventually_settles(
    probe: liveness_value_probe,
    ctx: *mut c_void,
    quiet_ms: f64,
    opts: *const liveness_options,
    settled_value: *mut i64,
) -> liveness_status {
    guarded(|| {
        let probe = callback_arg("probe", probe)?;
        let quiet = duration_from_millis("quiet_ms", quiet_ms)?;
        let read = unsafe { read_options(opts) }?;
        let mut probe = SettlingProbe { reader: ValueReader { probe, ctx }, previous: None };
        run_blocking(Operation::EventuallySettles { quiet }, &read, &mut probe)?;
        if let (Some(value), Some(out)) = (probe.previous, unsafe { settled_value.as_mut() }) {
            *out = value;
        }
        Ok(())
    })
}

/// Fires `action(ctx)` once, then waits like liveness_eventually(until, ctx, opts). The timeout
/// counts from the call, the action's own time included; options are checked before it fires.
/// If the action returns false, returns LIVENESS_PROBE_FAILED at once (with its
/// liveness_probe_fail() text) and `until` is never called. Both run on the calling thread.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn liveness_sync_operation(
    action: liveness_probe,
    until: liveness_probe,
    ctx: *mut c_void,
    opts: *const liveness_options,
) -> liveness_status {
    guarded(|| {
        let action = callback_arg("action", action)?;
        unsafe { poll_bool(|| Ok(Operation::SyncOperation), Some(action), ("until", until), ctx, opts) }
    })
}
