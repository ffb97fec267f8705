//! The process-wide event bus for JavaScript: emit, attach/detach, captures, the event assertions
//! and wake hints. Matching, ordering, failure reports and handler failures are the core's.
//!
//! Delivery to a JavaScript handler: when the event is emitted from JavaScript (so we are inside
//! a napi call on that handler's own JS thread) the handler runs synchronously, before `emit`
//! returns, as SPEC §5 says. When it is emitted from another thread (native code under test),
//! the handler is queued to its JS thread through a weak threadsafe function: the event still
//! reaches it, on the next turn of the event loop, and it never keeps the process alive.

use std::cell::Cell;

use liveness::events::{self, Capture, Event, WakeSubscription, Where};
use napi::bindgen_prelude::{Function, FunctionRef, Unknown};
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi::{Env, ValueType, sys};
use napi_derive::napi;

use crate::errors::{Result, invalid_argument, to_napi};
use crate::values::{event_text, events_text, measurements_from_json, metadata_from_json};

thread_local! {
    /// The env of the napi call in progress on this thread, while it may dispatch to handlers.
    static CALLING_ENV: Cell<sys::napi_env> = const { Cell::new(std::ptr::null_mut()) };
}

/// Runs `f` with this thread's env marked as able to call JavaScript handlers synchronously.
fn with_env<T>(env: &Env, f: impl FnOnce() -> T) -> T {
    let previous = CALLING_ENV.with(|c| c.replace(env.raw()));
    let out = f();
    CALLING_ENV.with(|c| c.set(previous));
    out
}

/// Validates `name` (even with nothing attached) and says whether anyone would receive it; the
/// TypeScript layer builds the payload only when this is true.
#[napi(catch_unwind)]
pub fn emit_check(name: String) -> Result<bool> {
    events::validate_name(&name).map_err(to_napi)?;
    Ok(events::has_subscribers(&name))
}

/// Emits with the payload as JSON (see values.rs); handlers on this thread run before it returns.
#[napi(catch_unwind)]
pub fn emit_payload(env: Env, name: String, measurements: String, metadata: String) -> Result<()> {
    let measurements = measurements_from_json(&measurements)?;
    let metadata = metadata_from_json(&metadata)?;
    events::validate_name(&name).map_err(to_napi)?;
    with_env(&env, || events::emit_event(&name, measurements, metadata)).map_err(to_napi)
}

type Queue = ThreadsafeFunction<String, Unknown<'static>, String, napi::Status, false, true>;

/// A JavaScript function the core may call from any thread: at once when the call comes from a
/// napi call on the function's own thread (so it runs before `emit` returns, as SPEC §5 says),
/// otherwise queued to that thread through a weak threadsafe function (it never keeps the
/// process alive).
struct JsCallback {
    direct: FunctionRef<String, Unknown<'static>>,
    queue: Queue,
    home: usize,
}

impl JsCallback {
    fn new(env: &Env, f: Function<String, Unknown<'static>>) -> Result<Self> {
        let direct = f.create_ref().map_err(|e| invalid_argument(e.reason.clone()))?;
        let queue: Queue = f
            .build_threadsafe_function::<String>()
            .weak::<true>()
            .callee_handled::<false>()
            .build()
            .map_err(|e| invalid_argument(e.reason.clone()))?;
        Ok(JsCallback { direct, queue, home: env.raw() as usize })
    }

    /// Calls the function with `arg` now and returns its answer when on its own thread inside a
    /// JavaScript call; otherwise queues the call and returns `None`.
    fn deliver(&self, arg: String) -> Option<napi::Result<Unknown<'static>>> {
        let calling = CALLING_ENV.with(|c| c.get()) as usize;
        if calling != self.home {
            self.queue(arg);
            return None;
        }
        let env = Env::from_raw(calling as sys::napi_env);
        Some(self.direct.borrow_back(&env).and_then(|f| f.call(arg)))
    }

    fn queue(&self, arg: String) {
        self.queue.call(arg, ThreadsafeFunctionCallMode::NonBlocking);
    }
}

/// Attaches a JavaScript dispatcher under `id`. The dispatcher takes the event as JSON and returns
/// `undefined`, or the text of the error its handler threw (the core then detaches it and emits
/// `liveness.handler.failure`; the dispatcher already issued the process warning).
#[napi(catch_unwind)]
pub fn attach(
    env: Env,
    id: String,
    patterns: Vec<String>,
    #[napi(ts_arg_type = "(event: string) => string | undefined")] dispatcher: Function<String, Unknown<'static>>,
) -> Result<()> {
    let dispatcher = JsCallback::new(&env, dispatcher)?;
    let handler = move |event: &Event| -> events::HandlerResult {
        let Some(answer) = dispatcher.deliver(event_text(event)) else { return Ok(()) };
        let answer = answer.map_err(|e| e.reason.clone())?;
        match answer.get_type() {
            Ok(ValueType::String) => {
                let text: String = unsafe { answer.cast() }.map_err(|e| e.reason.clone())?;
                Err(text)
            }
            _ => Ok(()),
        }
    };
    events::attach_with_reporter(&id, &patterns, handler, |_failure| {
        // Reported by the dispatcher with process.emitWarning; nothing to add on stderr.
    })
    .map_err(to_napi)
}

#[napi(catch_unwind)]
pub fn detach(id: String) -> bool {
    events::detach(&id)
}

#[napi(catch_unwind)]
pub fn has_subscribers(name: String) -> bool {
    events::has_subscribers(&name)
}

/// Checks an event name's syntax: the TypeScript `emit` asks once per distinct name.
#[napi(catch_unwind)]
pub fn check_name(name: String) -> Result<()> {
    events::validate_name(&name).map_err(to_napi)
}

/// Whether any handler or capture at all is attached: one atomic load behind the napi call, so
/// an idle `emit` costs one cheap call instead of a string conversion.
#[napi(catch_unwind)]
pub fn any_attached() -> bool {
    events::any_attached()
}

/// Checks a pattern's syntax (for `wakeOn`, `where` and the assertions) without attaching.
#[napi(catch_unwind)]
pub fn check_pattern(pattern: String) -> Result<()> {
    events::Pattern::new(&pattern).map(|_| ()).map_err(to_napi)
}

/// Builds the `where` of an assertion: a metadata map as JSON, or a predicate over the event JSON.
fn with_where<T>(
    where_json: Option<String>,
    predicate: Option<Function<String, bool>>,
    f: impl FnOnce(&Where) -> T,
) -> Result<T> {
    if let Some(p) = predicate {
        let call = |e: &Event| p.call(event_text(e)).unwrap_or(false);
        return Ok(f(&Where::Predicate(&call)));
    }
    match where_json {
        Some(text) => Ok(f(&Where::Metadata(metadata_from_json(&text)?))),
        None => Ok(f(&Where::Any)),
    }
}

/// Turns an assertion verdict into "no text" (passed) or the failure text; bad input throws.
fn verdict(result: std::result::Result<(), liveness::Error>) -> Result<Option<String>> {
    match result {
        Ok(()) => Ok(None),
        Err(e @ liveness::Error::EventAssertion { .. }) => Ok(Some(e.to_string())),
        Err(e) => Err(to_napi(e)),
    }
}

/// A capture: records every matching event from any thread while it is open.
#[napi]
pub struct NativeCapture {
    inner: Option<Capture>,
    closed: Vec<std::sync::Arc<Event>>,
}

#[napi]
impl NativeCapture {
    #[napi(constructor, catch_unwind)]
    pub fn new(patterns: Vec<String>) -> Result<Self> {
        Ok(NativeCapture { inner: Some(Capture::open(&patterns).map_err(to_napi)?), closed: Vec::new() })
    }

    fn recorded(&self) -> Vec<std::sync::Arc<Event>> {
        match &self.inner {
            Some(c) => c.events(),
            None => self.closed.clone(),
        }
    }

    /// The events recorded so far, in emit order, as a JSON array.
    #[napi(catch_unwind)]
    pub fn events(&self) -> String {
        events_text(&self.recorded())
    }

    #[napi(getter, catch_unwind)]
    pub fn length(&self) -> u32 {
        self.recorded().len() as u32
    }

    /// Stops recording (idempotent); the recorded events stay readable.
    #[napi(catch_unwind)]
    pub fn close(&mut self) {
        if let Some(c) = self.inner.take() {
            self.closed = c.close();
        }
    }

    /// `undefined` when passed, else the failure text of SPEC §5.
    #[napi(catch_unwind)]
    pub fn check_emitted(
        &self,
        pattern: String,
        where_json: Option<String>,
        #[napi(ts_arg_type = "((event: string) => boolean) | undefined | null")] predicate: Option<
            Function<String, bool>,
        >,
        count: Option<u32>,
    ) -> Result<Option<String>> {
        let events = self.recorded();
        with_where(where_json, predicate, |w| {
            verdict(events::check_emitted(&events, &pattern, w, count.map(|c| c as usize)))
        })?
    }

    #[napi(catch_unwind)]
    pub fn check_not_emitted(
        &self,
        pattern: String,
        where_json: Option<String>,
        #[napi(ts_arg_type = "((event: string) => boolean) | undefined | null")] predicate: Option<
            Function<String, bool>,
        >,
    ) -> Result<Option<String>> {
        let events = self.recorded();
        with_where(where_json, predicate, |w| verdict(events::check_not_emitted(&events, &pattern, w)))?
    }

    #[napi(catch_unwind)]
    pub fn check_emitted_in_order(&self, patterns: Vec<String>) -> Result<Option<String>> {
        verdict(events::check_emitted_in_order(&self.recorded(), &patterns))
    }
}

/// A wake-hint subscription for one wait. An event emitted from JavaScript (on this wait's own
/// thread) calls `onWake` at once, inside the emit, so the driver's sleep is cut short before the
/// emitting callback even returns; an event from another thread queues the call to the JS thread.
#[napi]
pub struct NativeWake {
    inner: Option<WakeSubscription>,
}

#[napi]
impl NativeWake {
    #[napi(constructor, catch_unwind)]
    pub fn new(
        env: Env,
        patterns: Vec<String>,
        #[napi(ts_arg_type = "(name: string) => void")] on_wake: Function<String, Unknown<'static>>,
    ) -> Result<Self> {
        let on_wake = JsCallback::new(&env, on_wake)?;
        let sub = WakeSubscription::new(&patterns, move || {
            if let Some(Err(_)) = on_wake.deliver(String::new()) {
                // The direct call failed: the hint must not be lost, so queue it.
                on_wake.queue(String::new());
            }
        })
        .map_err(to_napi)?;
        Ok(NativeWake { inner: Some(sub) })
    }

    /// Detaches (idempotent).
    #[napi(catch_unwind)]
    pub fn close(&mut self) {
        self.inner.take();
    }
}

/// Emits `count` events named `name` from a new native thread (metadata `{"i": n}`), the way
/// native code under test would; resolves nothing — the JavaScript side waits with `eventually`.
/// Exists so the suite can prove cross-thread delivery to captures and handlers.
#[napi(catch_unwind)]
pub fn emit_from_native_thread(name: String, count: u32) -> Result<()> {
    events::validate_name(&name).map_err(to_napi)?;
    std::thread::Builder::new()
        .name("liveness-native-emitter".into())
        .spawn(move || {
            for i in 0..count {
                let _ = events::emit(&name, [("i", f64::from(i))], [("i", liveness::Value::Int(i64::from(i)))]);
            }
        })
        .map_err(|e| invalid_argument(e.to_string()))?;
    Ok(())
}
