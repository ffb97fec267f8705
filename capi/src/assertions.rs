//! The event assertions of SPEC §5 from C: run a block with every event captured, then check.

use std::ffi::{CString, c_char, c_void};

use liveness_core::Error;
use liveness_core::events::{self, Event, Pattern};

use crate::args::{Ctx, callback_arg, opt_str_arg, patterns_arg, str_arg};
use crate::boundary::guarded;
use crate::json;
use crate::status::liveness_status;

/// The block of an event assertion: the code under test, run once to completion on the calling
/// thread. Events it causes on any thread while it runs are recorded.
pub type liveness_block = Option<unsafe extern "C" fn(ctx: *mut c_void)>;

/// A `where` predicate: gets an event as JSON text (valid during the call) and its `ctx`; returns
/// true when the event counts. Runs on the thread that called the assertion, after the block.
pub type liveness_event_predicate = Option<unsafe extern "C" fn(event_json: *const c_char, ctx: *mut c_void) -> bool>;

/// `count` value meaning "at least one" (the default of assert_emitted).
pub const LIVENESS_ANY_COUNT: i64 = -1;

fn count_arg(count: i64) -> Result<Option<usize>, Error> {
    match count {
        LIVENESS_ANY_COUNT => Ok(None),
        n if n < 0 => Err(Error::invalid_argument(format!("`count` must be >= 0 or LIVENESS_ANY_COUNT, got {n}"))),
        n => usize::try_from(n).map(Some).map_err(|_| Error::invalid_argument(format!("`count` {n} is too large"))),
    }
}

/// Adds a map-form `where` (a JSON object of expected metadata, NULL for none) to an expectation.
fn with_where(mut expect: events::Emitted, where_json: Option<&str>) -> Result<events::Emitted, Error> {
    if let Some(text) = where_json {
        for (key, value) in json::object("where_json", text)? {
            expect = expect.with_meta(&key, value);
        }
    }
    Ok(expect)
}

/// Calls a C block.
fn runner(block: unsafe extern "C" fn(*mut c_void), ctx: *mut c_void) -> impl FnOnce() {
    // SAFETY: the C caller promises that `block` may be called with `ctx`.
    move || unsafe { block(ctx) }
}

/// Runs `block(ctx)` to completion, then checks that events matching `pattern` were emitted
/// during it: at least one (`count` = LIVENESS_ANY_COUNT) or exactly `count`. `where_json`, a JSON
/// object of expected metadata values (a subset match), narrows which events count; NULL for any.
///
/// Returns LIVENESS_OK, or LIVENESS_EVENT_ASSERTION with a message listing the events emitted
/// during the block and the closest misses. Bad arguments (NULL, a bad pattern, malformed
/// `where_json`, count < -1) return LIVENESS_INVALID_ARGUMENT before the block runs.
/// Thread-safe; events from other threads emitted while the block runs are recorded too.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn liveness_assert_emitted(
    pattern: *const c_char,
    where_json: *const c_char,
    count: i64,
    block: liveness_block,
    ctx: *mut c_void,
) -> liveness_status {
    guarded(|| {
        let pattern = unsafe { str_arg("pattern", pattern) }?;
        Pattern::new(pattern)?;
        let where_json = unsafe { opt_str_arg("where_json", where_json) }?;
        let count = count_arg(count)?;
        let block = callback_arg("block", block)?;
        let mut expect = with_where(events::emitted(pattern), where_json)?;
        if let Some(n) = count {
            expect = expect.count(n);
        }
        expect.run(runner(block, ctx))
    })
}

/// As liveness_assert_emitted(), with a predicate instead of a metadata map: an event counts when
/// its name matches `pattern` and `predicate(event_json, predicate_ctx)` returns true.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn liveness_assert_emitted_matching(
    pattern: *const c_char,
    predicate: liveness_event_predicate,
    predicate_ctx: *mut c_void,
    count: i64,
    block: liveness_block,
    ctx: *mut c_void,
) -> liveness_status {
    guarded(|| {
        let pattern = unsafe { str_arg("pattern", pattern) }?;
        Pattern::new(pattern)?;
        let predicate = callback_arg("predicate", predicate)?;
        let count = count_arg(count)?;
        let block = callback_arg("block", block)?;
        let predicate_ctx = Ctx::new(predicate_ctx);
        let mut expect = events::emitted(pattern).matching(move |event: &Event| {
            let Ok(text) = CString::new(event.to_json()) else { return false };
            // SAFETY: the C caller promises that `predicate` may be called with its ctx.
            unsafe { predicate(text.as_ptr(), predicate_ctx.get()) }
        });
        if let Some(n) = count {
            expect = expect.count(n);
        }
        expect.run(runner(block, ctx))
    })
}

/// Runs `block(ctx)` to completion, then checks that no event matching `pattern` (and
/// `where_json`, as in liveness_assert_emitted(); NULL for any) was emitted during it.
/// Returns LIVENESS_OK or LIVENESS_EVENT_ASSERTION (listing the offending events).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn liveness_assert_not_emitted(
    pattern: *const c_char,
    where_json: *const c_char,
    block: liveness_block,
    ctx: *mut c_void,
) -> liveness_status {
    guarded(|| {
        let pattern = unsafe { str_arg("pattern", pattern) }?;
        Pattern::new(pattern)?;
        let where_json = unsafe { opt_str_arg("where_json", where_json) }?;
        let block = callback_arg("block", block)?;
        let mut expect = events::not_emitted(pattern);
        if let Some(text) = where_json {
            for (key, value) in json::object("where_json", text)? {
                expect = expect.with_meta(&key, value);
            }
        }
        expect.run(runner(block, ctx))
    })
}

/// Runs `block(ctx)` to completion, then checks that events matching the `patterns_len`
/// `patterns` were emitted in that order (other events may come between).
/// Returns LIVENESS_OK or LIVENESS_EVENT_ASSERTION (saying how far the order held).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn liveness_assert_emitted_in_order(
    patterns: *const *const c_char,
    patterns_len: usize,
    block: liveness_block,
    ctx: *mut c_void,
) -> liveness_status {
    guarded(|| {
        let patterns = unsafe { patterns_arg("patterns", patterns, patterns_len) }?;
        for pattern in &patterns {
            Pattern::new(pattern)?;
        }
        let block = callback_arg("block", block)?;
        events::emitted_in_order(&patterns).run(runner(block, ctx))
    })
}
