//! Emitting events from C, and attaching C handlers to the process-wide bus.

use std::collections::BTreeMap;
use std::ffi::{CString, c_char, c_void};

use liveness_core::Error;
use liveness_core::events::{self, Event, FieldMap, Number};

use crate::args::{Ctx, callback_arg, opt_str_arg, patterns_arg, str_arg, str_array_arg};
use crate::boundary::{boundary, clear_last_error, fail, guarded};
use crate::json;
use crate::status::liveness_status;

/// An event handler: gets the event as JSON text
/// (`{"name":…,"measurements":{…},"metadata":{…},"seq":…,"at":seconds,"thread":…}`, valid only
/// during the call) and the `ctx` given to liveness_attach(). Returns true when it handled the
/// event; false means it failed: it is then detached and the failure is emitted as the event
/// `liveness.handler.failure`. Runs synchronously on the emitting thread, which may be any thread.
pub type liveness_handler = Option<unsafe extern "C" fn(event_json: *const c_char, ctx: *mut c_void) -> bool>;

/// Emits an event to every attached handler and open capture whose pattern matches `name`,
/// synchronously on the calling thread.
///
/// `name`: `a.b.c`, each segment `[A-Za-z0-9_-]+`. `measurement_names`/`measurement_values`:
/// `measurements_len` numeric measurements (both may be NULL when the length is 0).
/// `metadata_json`: a JSON object of metadata, or NULL for none. All borrowed for the call.
///
/// Returns LIVENESS_INVALID_ARGUMENT for a bad name, NULL arrays with a non-zero length, invalid
/// UTF-8, or metadata that is not a JSON object, even when nothing is attached (so mistakes show
/// up in every run); a failing handler never makes it fail. Thread-safe.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn liveness_emit(
    name: *const c_char,
    measurement_names: *const *const c_char,
    measurement_values: *const f64,
    measurements_len: usize,
    metadata_json: *const c_char,
) -> liveness_status {
    guarded(|| {
        // Everything is checked on every call (mistakes show up even with nothing attached), but
        // nothing is allocated until someone is listening: validating borrows, building owns.
        let name = unsafe { str_arg("name", name) }?;
        events::validate_name(name)?;
        let keys = unsafe { str_array_arg("measurement_names", measurement_names, measurements_len) }?;
        if measurements_len > 0 && measurement_values.is_null() {
            return Err(Error::invalid_argument(format!(
                "`measurement_values` is NULL but `measurements_len` is {measurements_len}"
            )));
        }
        let metadata_text = unsafe { opt_str_arg("metadata_json", metadata_json) }?;
        if !events::any_attached() {
            if let Some(text) = metadata_text {
                json::object("metadata_json", text)?;
            }
            return Ok(());
        }
        let measurements: FieldMap<Number> = keys
            .into_iter()
            .enumerate()
            // SAFETY: non-NULL (checked) and the caller promises `measurements_len` values.
            .map(|(i, key)| (key, c_measurement(unsafe { *measurement_values.add(i) })))
            .collect();
        let metadata = match metadata_text {
            Some(text) => json::object("metadata_json", text)?,
            None => BTreeMap::new(),
        };
        events::emit_event(name, measurements, metadata)
    })
}

/// C passes every measurement as a `double`: one without a fraction (within ±2^53, where a double
/// holds every integer) is an integer, as JavaScript's numbers are, so `{"count":1}` reads back as
/// it was meant.
fn c_measurement(value: f64) -> Number {
    const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53
    if value.fract() == 0.0 && value.abs() <= EXACT { Number::Int(value as i64) } else { Number::Float(value) }
}

/// Whether emitting `name` now would reach any handler or capture: with nothing attached anywhere
/// this costs one atomic load, so an emitter can skip building a payload nobody reads.
/// Returns false for NULL or an invalid name (with liveness_last_error_message() saying why).
/// Thread-safe.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn liveness_has_subscribers(name: *const c_char) -> bool {
    boundary(false, || {
        clear_last_error();
        match unsafe { str_arg("name", name) }.and_then(|n| events::validate_name(n).map(|()| n)) {
            Ok(name) => events::has_subscribers(name),
            Err(error) => {
                fail(&error);
                false
            }
        }
    })
}

/// Attaches `handler` under the unique `id` for events matching any of the `patterns_len`
/// `patterns` (`a.b`, `a.*.c`, `a.**`). `id` and the patterns are copied. The handler and `ctx`
/// must stay valid, and be safe to use from any emitting thread, until liveness_detach(id) or until
/// the handler fails. Returns LIVENESS_INVALID_ARGUMENT for NULLs, an empty or duplicate id, no
/// patterns or a bad pattern. Thread-safe.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn liveness_attach(
    id: *const c_char,
    patterns: *const *const c_char,
    patterns_len: usize,
    handler: liveness_handler,
    ctx: *mut c_void,
) -> liveness_status {
    guarded(|| {
        let id = unsafe { str_arg("id", id) }?;
        let patterns = unsafe { patterns_arg("patterns", patterns, patterns_len) }?;
        let handler = callback_arg("handler", handler)?;
        let ctx = Ctx::new(ctx);
        let call = move |event: &Event| -> Result<(), String> {
            let text = CString::new(event.to_json()).map_err(|e| e.to_string())?;
            // SAFETY: the C caller promised, by attaching, that `handler` may be called with `ctx`
            // from any thread until it is detached.
            if unsafe { handler(text.as_ptr(), ctx.get()) } {
                Ok(())
            } else {
                Err("the C handler returned false".to_owned())
            }
        };
        // C has no warning channel: the `liveness.handler.failure` event is the report.
        events::attach_with_reporter(id, &patterns, call, |_| {})
    })
}

/// Detaches the handler attached under `id`. Returns true if one was attached, false if none was
/// (or `id` is NULL / not UTF-8, with liveness_last_error_message() saying why). Once it returns,
/// the handler is not called by emits that start afterwards, but it does NOT wait: an emit
/// already running on another thread may still be inside the handler, so its `ctx` must not be
/// freed yet. To free `ctx` right after detaching, use liveness_detach_wait(). Thread-safe.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn liveness_detach(id: *const c_char) -> bool {
    detach_with(id, events::detach)
}

/// As liveness_detach(), and then waits until no call of the handler is running on any other
/// thread, so that its `ctx` may be freed as soon as this returns. A call on the calling thread
/// (a handler detaching itself) is not waited for. The caller must not hold anything (a lock) that
/// a running call of the handler waits for, or both wait forever. Thread-safe.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn liveness_detach_wait(id: *const c_char) -> bool {
    detach_with(id, events::detach_and_wait)
}

fn detach_with(id: *const c_char, detach: fn(&str) -> bool) -> bool {
    boundary(false, || {
        clear_last_error();
        match unsafe { str_arg("id", id) } {
            Ok(id) => detach(id),
            Err(error) => {
                fail(&error);
                false
            }
        }
    })
}
