//! The polling operations of SPEC §1 and §4 for C probes. Each reads its arguments, then hands the
//! probe to the core's blocking driver, which parks the calling thread between evaluations.

use std::ffi::c_void;

use liveness_core::Error;
use liveness_core::policy::duration_from_millis;
use liveness_core::poll::{Evaluation, Failure, Operation};

use crate::args::callback_arg;
use crate::boundary::guarded;
use crate::driver::{self, run_blocking};
use crate::options::{liveness_options, read_options};
use crate::probe::{Verdict, call, liveness_probe, liveness_value_probe};
use crate::status::liveness_status;

/// One evaluation of a boolean C probe, as the driver wants it.
fn evaluate(probe: unsafe extern "C" fn(*mut c_void) -> bool, ctx: *mut c_void) -> Evaluation<(), Error> {
    // SAFETY: the C caller promises that `probe` may be called with `ctx`.
    match call(|| unsafe { probe(ctx) }.then_some(())) {
        Verdict::Passed(()) => Evaluation::Accepted { value: (), text: Some("true".to_owned()) },
        Verdict::Failed(failure) => Evaluation::Rejected(failure),
        Verdict::Stopped(failure) => Evaluation::Stop(Error::Probe { failure }),
    }
}

/// Runs a boolean probe under `operation`.
///
/// # Safety
/// As the public functions: valid `opts`, and a probe callable with `ctx`.
unsafe fn poll_bool(
    operation: impl FnOnce() -> Result<Operation, Error>,
    probe: liveness_probe,
    ctx: *mut c_void,
    opts: *const liveness_options,
) -> Result<(), Error> {
    let probe = callback_arg("probe", probe)?;
    let options = unsafe { read_options(opts) }?;
    run_blocking(operation()?, &options, || evaluate(probe, ctx)).map(drop)
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
    guarded(|| unsafe { poll_bool(|| Ok(Operation::Eventually), probe, ctx, opts) })
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
    guarded(|| unsafe { poll_bool(|| Ok(Operation::EventuallyPasses), block, ctx, opts) })
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
    guarded(|| unsafe {
        poll_bool(|| Ok(Operation::Always { during: duration_from_millis("during_ms", during_ms)? }), probe, ctx, opts)
    })
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
    guarded(|| unsafe {
        poll_bool(|| Ok(Operation::Never { during: duration_from_millis("during_ms", during_ms)? }), probe, ctx, opts)
    })
}

/// Waits for a value to change (a restarted service gets a new id): reads a baseline with one
/// call of `probe`, then polls until the value differs from it and stores the new value in
/// `*new_value` (which may be NULL when the value is not wanted).
///
/// If the baseline cannot be read (`probe` returns false), returns LIVENESS_PROBE_FAILED at once.
/// Otherwise as liveness_eventually(); the timeout report shows the unchanged value.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn liveness_eventually_changes(
    probe: liveness_value_probe,
    ctx: *mut c_void,
    opts: *const liveness_options,
    new_value: *mut i64,
) -> liveness_status {
    guarded(|| {
        let probe = callback_arg("probe", probe)?;
        let options = unsafe { read_options(opts) }?;
        let read = || {
            let mut value = 0i64;
            // SAFETY: the C caller promises that `probe` may be called with `ctx`.
            call(|| unsafe { probe(ctx, &mut value) }.then_some(value))
        };
        let baseline = match read() {
            Verdict::Passed(value) => value,
            Verdict::Failed(failure) | Verdict::Stopped(failure) => return Err(Error::Probe { failure }),
        };
        let changed = run_blocking(Operation::EventuallyChanges, &options, || match read() {
            Verdict::Passed(value) if value != baseline => {
                Evaluation::Accepted { value, text: Some(value.to_string()) }
            }
            Verdict::Passed(value) => Evaluation::Rejected(Failure::unchanged(value.to_string())),
            Verdict::Failed(failure) => Evaluation::Rejected(failure),
            Verdict::Stopped(failure) => Evaluation::Stop(Error::Probe { failure }),
        })?;
        if let (Some(value), Some(out)) = (changed, unsafe { new_value.as_mut() }) {
            *out = value;
        }
        Ok(())
    })
}

/// Fires `action(ctx)` once, then waits like liveness_eventually(until, ctx, opts). If the action
/// returns false, returns LIVENESS_PROBE_FAILED at once (with its liveness_probe_fail() text) and
/// `until` is never called. Both run on the calling thread.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn liveness_sync_operation(
    action: liveness_probe,
    until: liveness_probe,
    ctx: *mut c_void,
    opts: *const liveness_options,
) -> liveness_status {
    guarded(|| {
        let action = callback_arg("action", action)?;
        let until = callback_arg("until", until)?;
        let options = unsafe { read_options(opts) }?;
        // Options are checked before the action runs: a bad option must not fire the action.
        driver::check(Operation::SyncOperation, &options)?;
        // SAFETY: the C caller promises that `action` may be called with `ctx`.
        match call(|| unsafe { action(ctx) }.then_some(())) {
            Verdict::Passed(()) => {}
            Verdict::Failed(failure) | Verdict::Stopped(failure) => return Err(Error::Probe { failure }),
        }
        run_blocking(Operation::SyncOperation, &options, || evaluate(until, ctx)).map(drop)
    })
}
