//! `liveness_options`: the C spelling of the core's `Options` (durations in milliseconds).

use std::ffi::c_char;
use std::mem::size_of;
use std::time::Duration;

use liveness_core::Error;
use liveness_core::policy::{Options, duration_from_millis};

use crate::args::{opt_str_arg, str_array_arg};
use crate::boundary::boundary;

/// `interval_ms` value meaning "the adaptive, cost-aware period" (the default). Zero, because
/// every negative, NaN or infinite duration must be rejected as invalid (SPEC §2), and a fixed
/// period of zero (re-evaluating in a busy loop) is better had with `min_interval_ms = 0`.
pub const LIVENESS_ADAPTIVE_INTERVAL: f64 = 0.0;
/// `attempts` value meaning "no limit on the number of evaluations" (the default).
pub const LIVENESS_NO_ATTEMPT_LIMIT: i64 = -1;

/// Options of the polling operations (SPEC §2). Always start from liveness_options_default()
/// and change fields: the `struct_size` it fills in is checked, so an uninitialised or zeroed
/// struct is rejected with LIVENESS_INVALID_ARGUMENT instead of meaning "timeout 0".
/// Passing NULL instead of a pointer to options means all defaults.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct liveness_options {
    /// Set by liveness_options_default() to sizeof(liveness_options); do not change.
    pub struct_size: usize,
    /// Deadline, measured from the call on a monotonic clock. Default 5000.
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
        }
    }
}

fn millis(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The default options (timeout 5000 ms, adaptive interval 1..50 ms, no delay, no attempt
/// limit, no message, no stable_for, no wake hints). Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn liveness_options_default() -> liveness_options {
    boundary(liveness_options::defaults(), liveness_options::defaults)
}

/// Converts C options (NULL = defaults) into the core's, checking each field on the way; the
/// core's `Poller::new` then checks the set as a whole.
///
/// # Safety
/// `opts` is NULL or points to a `liveness_options` whose pointers are valid as documented.
pub(crate) unsafe fn read_options(opts: *const liveness_options) -> Result<Options, Error> {
    // SAFETY: the caller's promise; NULL is handled by `as_ref`.
    let Some(c) = (unsafe { opts.as_ref() }) else {
        return Ok(Options::default());
    };
    if c.struct_size != size_of::<liveness_options>() {
        return Err(Error::invalid_argument(format!(
            "`options` were not made by liveness_options_default() (struct_size is {}, expected {}): \
             initialise them with `liveness_options opts = liveness_options_default();`",
            c.struct_size,
            size_of::<liveness_options>()
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
    Options {
        timeout: duration_from_millis("timeout_ms", c.timeout_ms)?,
        interval,
        min_interval: duration_from_millis("min_interval_ms", c.min_interval_ms)?,
        max_interval: duration_from_millis("max_interval_ms", c.max_interval_ms)?,
        delay: duration_from_millis("delay_ms", c.delay_ms)?,
        attempts,
        // SAFETY: the caller promises valid strings.
        message: unsafe { opt_str_arg("options.message", c.message) }?.map(str::to_owned),
        stable_for: duration_from_millis("stable_for_ms", c.stable_for_ms)?,
        wake_on: unsafe { str_array_arg("options.wake_on", c.wake_on, c.wake_on_len) }?
            .into_iter()
            .map(str::to_owned)
            .collect(),
        ..Options::default()
    }
    .with_env_scale()
}
