//! `liveness_options`: the C spelling of the core's `Options` (durations in milliseconds).

use std::ffi::{c_char, c_void};
use std::mem::size_of;
use std::time::Duration;

use liveness_core::Error;
use liveness_core::policy::{Options, duration_from_millis, timeout_from_millis};

use crate::args::{opt_str_arg, str_array_arg};
use crate::boundary::boundary;
use crate::hook::{OnEvaluation, liveness_evaluation_hook};

/// `interval_ms` value meaning "the adaptive, cost-aware period" (the default). Zero, because
/// every negative, NaN or infinite duration must be rejected as invalid (SPEC §2), and a fixed
/// period of zero (re-evaluating in a busy loop) is better had with `min_interval_ms = 0`.
pub const LIVENESS_ADAPTIVE_INTERVAL: f64 = 0.0;
/// `attempts` value meaning "no limit on the number of evaluations" (the default).
pub const LIVENESS_NO_ATTEMPT_LIMIT: i64 = -1;
/// `backoff` value meaning "no exponential backoff" (the default). Zero, because a factor must be
/// at least 1: every other value, NaN included, is handed to the check of the factor.
pub const LIVENESS_NO_BACKOFF: f64 = 0.0;

/// Options of the polling operations (SPEC §2). Always start from liveness_options_default()
/// and change fields: the `struct_size` it fills in is checked, so an uninitialised or zeroed
/// struct is rejected with LIVENESS_INVALID_ARGUMENT instead of meaning "timeout 0".
/// Passing NULL instead of a pointer to options means all defaults.
///
/// New fields are only ever added at the end. A program compiled against an older liveness.h
/// passes its smaller struct_size and is rejected with LIVENESS_INVALID_ARGUMENT (recompile it);
/// one compiled against a newer header than the library is rejected likewise.
///
/// There is no `on_timeout` hook in C (the other bindings have one to add to or replace their
/// error): a C caller receives the status and liveness_last_error_message() and can add to them
/// or replace them itself.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct liveness_options {
    /// Set by liveness_options_default() to sizeof(liveness_options); do not change.
    pub struct_size: usize,
    /// Deadline, measured from the call on a monotonic clock. Default 5000. INFINITY: no deadline
    /// (the wait lasts until the probe passes, `attempts` run out, or the test runner's own
    /// timeout ends the test); a timeout too large for the library's durations is the same.
    pub timeout_ms: f64,
    /// Fixed period (> 0) between the starts of two evaluations, or LIVENESS_ADAPTIVE_INTERVAL (0,
    /// the default): 20x the previous evaluation's duration, within [min_interval_ms, max_interval_ms].
    pub interval_ms: f64,
    /// Floor of the adaptive period. Default 1.
    pub min_interval_ms: f64,
    /// Cap of the adaptive period. Default 50.
    pub max_interval_ms: f64,
    /// Wait before the first evaluation; counts toward the timeout. Default 0.
    pub delay_ms: f64,
    /// Also stop after this many evaluations (>= 1), or LIVENESS_NO_ATTEMPT_LIMIT (default).
    pub attempts: i64,
    /// Description of what is awaited, shown first in the failure; NULL for none (default).
    /// Borrowed for the duration of the call.
    pub message: *const c_char,
    /// After the first accepted evaluation, succeed only once the probe stayed accepted for this
    /// long. Default 0.
    pub stable_for_ms: f64,
    /// Event patterns whose emission re-evaluates the probe at once (wake hints); NULL/0 for
    /// none (default). Borrowed for the duration of the call.
    pub wake_on: *const *const c_char,
    /// Number of patterns in `wake_on`.
    pub wake_on_len: usize,
    /// The condition must not hold before this much time has passed since the call: an accepted
    /// evaluation that starts earlier fails the wait with LIVENESS_VIOLATED ("held too early").
    /// Not scaled by LIVENESS_TIMEOUT_SCALE. Not for liveness_always()/liveness_never().
    /// Default 0 (no lower bound).
    pub at_least_ms: f64,
    /// A schedule of the caller's choosing: the period (> 0) after the first evaluation, after
    /// the second, ...; the last one repeats (e.g. {100, 250, 500, 1000}). NULL with
    /// `intervals_len` 0 for none (default); a non-NULL pointer with length 0 is an empty list,
    /// which is invalid. Not together with `interval_ms` or `backoff`. Borrowed for the call.
    pub intervals_ms: *const f64,
    /// Number of periods in `intervals_ms`.
    pub intervals_len: usize,
    /// Exponential backoff: each period is this factor (>= 1) times the previous one, starting
    /// at `interval_ms` (or `min_interval_ms` when that is adaptive) and capped at
    /// `max_interval_ms`. LIVENESS_NO_BACKOFF (0) for none (default).
    pub backoff: f64,
    /// Called after each evaluation that returned, with its number, start, duration and whether
    /// it was accepted (see liveness_evaluation_hook); NULL for none (default).
    pub on_evaluation: liveness_evaluation_hook,
    /// Passed through untouched as the hook's first argument; may be NULL.
    pub on_evaluation_context: *mut c_void,
    /// After a timeout (not met by the deadline), go on evaluating for up to this long (at most
    /// the timeout) and add to the message whether the condition was met late ("late: met 0.12 s
    /// after the deadline") or still not. The status stays LIVENESS_TIMEOUT. 0 turns it off.
    /// Default 1000.
    pub late_check_ms: f64,
    /// Paths (UTF-8) whose change re-evaluates the probe at once, like an event matching
    /// `wake_on`: a file created, written, renamed into place or deleted, or for a directory an
    /// entry in it. A path that does not exist yet is watched through its directory, which must
    /// exist (else LIVENESS_INVALID_ARGUMENT naming `wake_on_path`). NULL/0 for none (default).
    /// Borrowed for the duration of the call.
    pub wake_on_path: *const *const c_char,
    /// Number of paths in `wake_on_path`.
    pub wake_on_path_len: usize,
}

impl liveness_options {
    fn defaults() -> liveness_options {
        let d = Options::default();
        liveness_options {
            struct_size: size_of::<liveness_options>(),
            timeout_ms: millis(d.timeout),
            interval_ms: d.interval.map_or(LIVENESS_ADAPTIVE_INTERVAL, millis),
            min_interval_ms: millis(d.min_interval),
            max_interval_ms: millis(d.max_interval),
            delay_ms: millis(d.delay),
            attempts: d.attempts.map_or(LIVENESS_NO_ATTEMPT_LIMIT, i64::from),
            message: std::ptr::null(),
            stable_for_ms: millis(d.stable_for),
            wake_on: std::ptr::null(),
            wake_on_len: 0,
            at_least_ms: millis(d.at_least),
            intervals_ms: std::ptr::null(),
            intervals_len: 0,
            backoff: d.backoff.unwrap_or(LIVENESS_NO_BACKOFF),
            on_evaluation: None,
            on_evaluation_context: std::ptr::null_mut(),
            late_check_ms: millis(d.late_check),
            wake_on_path: std::ptr::null(),
            wake_on_path_len: 0,
        }
    }
}

fn millis(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The default options (timeout 5000 ms, adaptive interval 1..50 ms, no delay, no attempt
/// limit, no message, no stable_for, no wake hints (events or paths), no at_least, no intervals list, no backoff,
/// no on_evaluation hook). Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn liveness_options_default() -> liveness_options {
    boundary(liveness_options::defaults(), liveness_options::defaults)
}

/// The C options as the operations use them: the core's options, and the hook that is the C
/// binding's own (the core only says when an evaluation was counted).
pub(crate) struct ReadOptions {
    pub(crate) options: Options,
    pub(crate) on_evaluation: Option<OnEvaluation>,
}

/// Converts C options (NULL = defaults) into the core's, checking each field on the way; the
/// core's `Poller::new` then checks the set as a whole.
///
/// # Safety
/// `opts` is NULL or points to a `liveness_options` whose pointers are valid as documented.
pub(crate) unsafe fn read_options(opts: *const liveness_options) -> Result<ReadOptions, Error> {
    // SAFETY: the caller's promise; NULL is handled by `as_ref`.
    let Some(c) = (unsafe { opts.as_ref() }) else {
        return Ok(ReadOptions { options: Options::default(), on_evaluation: None });
    };
    let expected = size_of::<liveness_options>();
    if c.struct_size != expected {
        let why = if c.struct_size > 0 && c.struct_size < expected {
            "the program was compiled against an older liveness.h: recompile it"
        } else if c.struct_size > expected {
            "the program was compiled against a newer liveness.h than this library"
        } else {
            "initialise them with `liveness_options opts = liveness_options_default();`"
        };
        return Err(Error::invalid_argument(format!(
            "`options` were not made by liveness_options_default() (struct_size is {}, expected {expected}): {why}",
            c.struct_size,
        )));
    }
    let interval = if c.interval_ms == LIVENESS_ADAPTIVE_INTERVAL {
        None
    } else {
        Some(duration_from_millis("interval_ms", c.interval_ms)?)
    };
    let attempts = match c.attempts {
        LIVENESS_NO_ATTEMPT_LIMIT => None,
        n if n < 0 => {
            return Err(Error::invalid_option(
                "attempts",
                format!("must be at least 1 or LIVENESS_NO_ATTEMPT_LIMIT, got {n}"),
            ));
        }
        n => Some(u32::try_from(n).map_err(|_| Error::invalid_option("attempts", format!("{n} is too large")))?),
    };
    let options = Options {
        timeout: timeout_from_millis("timeout_ms", c.timeout_ms)?,
        interval,
        // SAFETY: the caller promises `intervals_len` readable doubles.
        intervals: unsafe { intervals_arg(c.intervals_ms, c.intervals_len) }?,
        backoff: (c.backoff != LIVENESS_NO_BACKOFF).then_some(c.backoff),
        min_interval: duration_from_millis("min_interval_ms", c.min_interval_ms)?,
        max_interval: duration_from_millis("max_interval_ms", c.max_interval_ms)?,
        delay: duration_from_millis("delay_ms", c.delay_ms)?,
        attempts,
        // SAFETY: the caller promises valid strings.
        message: unsafe { opt_str_arg("options.message", c.message) }?.map(str::to_owned),
        stable_for: duration_from_millis("stable_for_ms", c.stable_for_ms)?,
        at_least: duration_from_millis("at_least_ms", c.at_least_ms)?,
        late_check: duration_from_millis("late_check_ms", c.late_check_ms)?,
        wake_on: unsafe { str_array_arg("options.wake_on", c.wake_on, c.wake_on_len) }?
            .into_iter()
            .map(str::to_owned)
            .collect(),
        // SAFETY: the caller promises valid strings.
        wake_on_path: unsafe { str_array_arg("options.wake_on_path", c.wake_on_path, c.wake_on_path_len) }?
            .into_iter()
            .map(std::path::PathBuf::from)
            .collect(),
        ..Options::default()
    }
    .with_env_scale()?;
    Ok(ReadOptions { options, on_evaluation: OnEvaluation::new(c.on_evaluation, c.on_evaluation_context) })
}

/// `intervals_ms`/`intervals_len`: NULL/0 is no list; a non-NULL pointer with length 0 is the
/// empty list (which the core rejects, naming the option); NULL with a length is a bad argument.
///
/// # Safety
/// `ptr` is NULL or points to `len` doubles.
unsafe fn intervals_arg(ptr: *const f64, len: usize) -> Result<Option<Vec<Duration>>, Error> {
    if ptr.is_null() {
        if len > 0 {
            return Err(Error::invalid_argument(format!(
                "`options.intervals_ms` is NULL but `intervals_len` is {len}"
            )));
        }
        return Ok(None);
    }
    // SAFETY: non-NULL, and the caller promises `len` readable doubles.
    let periods = unsafe { std::slice::from_raw_parts(ptr, len) };
    periods
        .iter()
        .enumerate()
        .map(|(i, &ms)| {
            duration_from_millis("intervals_ms", ms).map_err(|e| match e {
                Error::InvalidOption { option, reason } => {
                    Error::InvalidOption { option, reason: format!("entry {i}: {reason}") }
                }
                other => other,
            })
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}
