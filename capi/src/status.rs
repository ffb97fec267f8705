//! The status codes every fallible C function returns, and how core errors map onto them.

use std::ffi::c_char;

use liveness_core::Error;

use crate::boundary::boundary;

/// The result of a liveness call. The numbers are part of the ABI and never change; new codes
/// are only ever added at the end. For any status other than LIVENESS_OK,
/// liveness_last_error_message() holds the text on the calling thread.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum liveness_status {
    /// Success.
    LIVENESS_OK = 0,
    /// The deadline or the attempt limit passed without an accepted evaluation (the message is
    /// the full report: operation, time, evaluations, last failure, history).
    LIVENESS_TIMEOUT = 1,
    /// liveness_always() saw a failing evaluation, or liveness_never() a passing one.
    LIVENESS_VIOLATED = 2,
    /// A bad argument or option: NULL, invalid UTF-8, malformed JSON, a bad event name or
    /// pattern, an out-of-range option. Reported before anything ran.
    LIVENESS_INVALID_ARGUMENT = 3,
    /// A failure that is not retried and propagated at once: the action of
    /// liveness_sync_operation(), the baseline of liveness_eventually_changes(), or a probe that
    /// called liveness_probe_stop().
    LIVENESS_PROBE_FAILED = 4,
    /// liveness_assert_emitted() and friends did not find what they were asked for (the message
    /// lists the events emitted during the block and the closest misses).
    LIVENESS_EVENT_ASSERTION = 5,
    /// A bug inside liveness was caught at the C boundary (please report it).
    LIVENESS_INTERNAL = 6,
}

impl liveness_status {
    pub(crate) fn of(error: &Error) -> liveness_status {
        match error {
            Error::Timeout { .. } => liveness_status::LIVENESS_TIMEOUT,
            Error::Violated { .. } => liveness_status::LIVENESS_VIOLATED,
            Error::InvalidOption { .. } | Error::InvalidArgument { .. } => liveness_status::LIVENESS_INVALID_ARGUMENT,
            Error::EventAssertion { .. } => liveness_status::LIVENESS_EVENT_ASSERTION,
            Error::Probe { .. } => liveness_status::LIVENESS_PROBE_FAILED,
        }
    }

    fn name(code: i32) -> &'static [u8] {
        match code {
            0 => b"LIVENESS_OK\0",
            1 => b"LIVENESS_TIMEOUT\0",
            2 => b"LIVENESS_VIOLATED\0",
            3 => b"LIVENESS_INVALID_ARGUMENT\0",
            4 => b"LIVENESS_PROBE_FAILED\0",
            5 => b"LIVENESS_EVENT_ASSERTION\0",
            6 => b"LIVENESS_INTERNAL\0",
            _ => b"LIVENESS_UNKNOWN_STATUS\0",
        }
    }
}

/// The name of a status code ("LIVENESS_TIMEOUT"), or "LIVENESS_UNKNOWN_STATUS" for a number
/// that is not one. Takes an int so that any value can be passed. The string is static: never
/// free it. Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn liveness_status_name(status: i32) -> *const c_char {
    boundary(c"LIVENESS_INTERNAL".as_ptr(), || liveness_status::name(status).as_ptr().cast())
}
