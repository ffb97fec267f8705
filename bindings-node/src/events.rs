//! The process-wide event bus for JavaScript: emit, attach/detach, captures, the event assertions
//! and wake hints. Matching, ordering, failure reports and handler failures are the core's.
//!
//! Delivery to a JavaScript handler: when the event is emitted from JavaScript (so we are inside
//! a napi call on that handler's own JS thread) the handler runs synchronously, before `emit`
//! returns, as SPEC §5 says. When it is emitted from another thread (native code under test),
//! the handler is queued to its JS thread through a weak threadsafe function: the event still
//! reaches it, on the next turn of the event loop, and it never keeps the process alive.
//!
//! Workers: everything an environment attaches is tracked by its [`Home`] and removed when that
//! environment is torn down; the napi references of a handler are deleted on their own thread only.

use std::cell::Cell;
use std::mem::ManuallyDrop;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Instant;

use liveness::events::{self, Capture, Event, Scope, WakeSubscription, Where};
use napi::bindgen_prelude::{FromNapiValue, Function, FunctionRef, Unknown};
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi::{Env, ValueType, sys};
use napi_derive::napi;

use crate::errors::{Result, invalid_argument, to_napi};
use crate::flat;
use crate::home::{Home, Shared, lock};
use crate::names;
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

/// Emits with the payload as JSON (see values.rs) in `scope` (the AsyncLocalStorage's current
/// one, which the TypeScript layer reads only when someone listens); handlers on this thread run
/// before it returns.
#[napi(catch_unwind)]
pub fn emit_payload(
    env: Env,
    name: String,
    measurements: String,
    metadata: String,
    scope: Option<&NativeScope>,
) -> Result<()> {
    let home = Home::of(&env)?;
    let measurements = measurements_from_json(&measurements)?;
    let metadata = metadata_from_json(&metadata, &home)?;
    events::validate_name(&name).map_err(to_napi)?;
    let scope = scope.map(|s| s.inner.clone());
    with_env(&env, || events::emit_event_in(&name, measurements.into(), metadata.into(), scope)).map_err(to_napi)
}

/// The function `emitFlat(nameId, scope, measurementCount, key, value, key, value, …)`, made once
/// by the TypeScript layer: it emits a flat payload crossing as napi values, not JSON (the usual
/// payload: numbers by name, and metadata whose values are strings, numbers, booleans, null or
/// undefined), the measurements first. The name crosses as its id from `internName` (names.rs),
/// validated when it was interned: no string is read or checked for it per emit. A raw napi
/// function, because its entries arrive in one `napi_get_cb_info` as arguments, where an array
/// costs a `napi_get_element` each (most of the crossing's cost). The TypeScript layer calls it
/// only when the core said someone listens to the name (it keeps that answer under the
/// subscription generation), so nothing is asked again here: an emit that finds nobody after all
/// (a detach on another thread) ends in the core's lookup.
#[napi(
    catch_unwind,
    ts_return_type = "(nameId: number, scope: NativeScope | null, measurementCount: number, ...entries: (string | number | boolean | null | undefined)[]) => void"
)]
pub fn emit_flat_function(env: &Env) -> Result<Function<'_, (), ()>> {
    env.create_function("emitFlat", emit_flat_call).map_err(|e| invalid_argument(e.reason.clone()))
}

unsafe extern "C" fn emit_flat_call(env: sys::napi_env, info: sys::napi_callback_info) -> sys::napi_value {
    // SAFETY: called by napi with this call's env and info.
    let outcome = std::panic::catch_unwind(|| unsafe { emit_flat_args(env, info) });
    let error = match outcome {
        Ok(Ok(())) => return std::ptr::null_mut(), // undefined
        Ok(Err(error)) => error,
        Err(panic) => invalid_argument(format!("emitFlat panicked: {}", liveness::ops::panic_text(panic.as_ref()))),
    };
    // SAFETY: `env` is this call's env; nothing is pending (every napi call above succeeded or
    // was turned into this error).
    unsafe { napi::JsError::from(error).throw_into(env) };
    std::ptr::null_mut()
}

/// The arguments of one `emitFlat` call: `nameId, scope, measurementCount, entries…`.
unsafe fn emit_flat_args(env: sys::napi_env, info: sys::napi_callback_info) -> Result<()> {
    let args = flat::arguments(env, info)?;
    let [name_id, scope, measurement_count, entries @ ..] = args.as_slice() else {
        return Err(invalid_argument("emitFlat: nameId, scope and measurementCount are needed (a liveness bug)"));
    };
    let name = names::interned(flat::whole_number(env, *name_id, "a name id was expected")?)?;
    // SAFETY: `scope` is an argument of this call.
    let scope = unsafe { <Option<&NativeScope> as FromNapiValue>::from_napi_value(env, *scope) }
        .map_err(|e| invalid_argument(e.reason.clone()))?;
    let measurement_count = flat::whole_number(env, *measurement_count, "a count was expected")? as usize;
    let (measurements, metadata) = flat::payload(env, entries, measurement_count)?;
    let scope = scope.map(|s| s.inner.clone());
    let env = Env::from_raw(env);
    with_env(&env, || events::emit_event_in(&name, measurements, metadata, scope)).map_err(to_napi)
}

/// The event name a bridge gives a logger, an emitter prefix or a span (SPEC §5, bridges): the
/// core's rule, so that every door names the same source the same way.
#[napi(catch_unwind)]
pub fn bridge_name(path: String, explicit: Option<String>) -> String {
    // `explicit`: a span's `event` attribute, already known to be a string; it names the event
    // only when it is a valid event name (the core's rule, as in every door).
    events::bridge_event_name(explicit.as_deref(), &path)
}

/// A capture scope (SPEC §5, scoped captures): the core's [`Scope`], which JavaScript keeps in an
/// AsyncLocalStorage (lib/scope.ts) because the thread's own scope does not follow promises.
#[napi]
pub struct NativeScope {
    inner: Scope,
}

#[napi]
impl NativeScope {
    /// A new scope nested in `parent` (none: a scope inside no other).
    #[napi(constructor, catch_unwind)]
    pub fn new(parent: Option<&NativeScope>) -> Self {
        NativeScope { inner: Scope::child_of(parent.map(|p| &p.inner)) }
    }

    /// A number unique to this scope in the process (for messages and tests).
    #[napi(getter, catch_unwind)]
    pub fn id(&self) -> f64 {
        self.inner.id() as f64
    }
}

type Queue = ThreadsafeFunction<String, Unknown<'static>, String, napi::Status, false, true>;

/// A JavaScript function the core may call from any thread: at once when the call comes from a
/// napi call on the function's own thread (so it runs before `emit` returns, as SPEC §5 says),
/// otherwise queued to that thread through a weak threadsafe function (it never keeps the
/// process alive). Its reference is deleted on its own thread (see [`Home::release`]), wherever
/// the core drops it.
struct JsCallback {
    direct: ManuallyDrop<FunctionRef<String, Unknown<'static>>>,
    queue: ManuallyDrop<Queue>,
    home: Arc<Home>,
}

impl Drop for JsCallback {
    fn drop(&mut self) {
        // SAFETY: `direct` is taken once, here, and never used again.
        let direct = unsafe { ManuallyDrop::take(&mut self.direct) };
        self.home.release(direct);
        // SAFETY: as for `direct`.
        let queue = unsafe { ManuallyDrop::take(&mut self.queue) };
        self.home.release_threadsafe(queue);
    }
}

impl JsCallback {
    fn new(env: &Env, home: Arc<Home>, f: Function<String, Unknown<'static>>) -> Result<Self> {
        let direct = f.create_ref().map_err(|e| invalid_argument(e.reason.clone()))?;
        let queue: Queue = f
            .build_threadsafe_function::<String>()
            .weak::<true>()
            .callee_handled::<false>()
            .build()
            .map_err(|e| invalid_argument(e.reason.clone()))?;
        let _ = env;
        Ok(JsCallback { direct: ManuallyDrop::new(direct), queue: ManuallyDrop::new(queue), home })
    }

    /// Calls the function with `arg` now and returns its answer when on its own thread inside a
    /// JavaScript call; otherwise queues the call and returns `None`.
    fn deliver(&self, arg: String) -> Option<napi::Result<Unknown<'static>>> {
        let calling = CALLING_ENV.with(|c| c.get());
        if !self.home.is(calling) {
            self.queue(arg);
            return None;
        }
        let env = Env::from_raw(calling);
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
    let home = Home::of(&env)?;
    let dispatcher = JsCallback::new(&env, home.clone(), dispatcher)?;
    // Alive while the handler is: tells this environment's teardown the id is still its own.
    let token = Arc::new(());
    let held = token.clone();
    let handler = move |event: &Event| -> events::HandlerResult {
        let _ = &held;
        let Some(answer) = dispatcher.deliver(event_text(event, &dispatcher.home)) else { return Ok(()) };
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
    .map_err(to_napi)?;
    home.track_handler(&id, &token);
    Ok(())
}

#[napi(catch_unwind)]
pub fn detach(env: Env, id: String) -> Result<bool> {
    Home::of(&env)?;
    Ok(events::detach(&id))
}

#[napi(catch_unwind)]
pub fn has_subscribers(name: String) -> bool {
    events::has_subscribers(&name)
}

/// Whether any handler or capture at all is attached: one atomic load behind the napi call, so
/// an idle `emit` costs one cheap call instead of a string conversion.
#[napi(catch_unwind)]
pub fn any_attached() -> bool {
    events::any_attached()
}

/// The core's [`events::subscription_generation`]: 0 with nothing attached, else a number that
/// changes at every attach and detach. `emit` keeps each name's `hasSubscribers` answer under it,
/// so an emit nobody listens to costs this one call, not a string crossing.
#[napi(catch_unwind)]
pub fn subscription_generation() -> f64 {
    events::subscription_generation() as f64
}

/// Checks a pattern's syntax (for `wakeOn`, `where` and the assertions) without attaching.
#[napi(catch_unwind)]
pub fn check_pattern(pattern: String) -> Result<()> {
    events::Pattern::new(&pattern).map(|_| ()).map_err(to_napi)
}

/// Builds the `where` of an assertion: a metadata map as JSON, or a predicate over the event JSON.
fn with_where<T>(
    home: &Arc<Home>,
    where_json: Option<String>,
    predicate: Option<Function<String, bool>>,
    f: impl FnOnce(&Where) -> T,
) -> Result<T> {
    if let Some(p) = predicate {
        let call = |e: &Event| p.call(event_text(e, home)).unwrap_or(false);
        return Ok(f(&Where::Predicate(&call)));
    }
    match where_json {
        Some(text) => Ok(f(&Where::Metadata(metadata_from_json(&text, home)?))),
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

/// A capture: records every matching event from any thread while it is open. Its environment's
/// teardown closes it (a Worker's capture stops recording when the Worker ends).
#[napi]
pub struct NativeCapture {
    inner: Shared<Capture>,
    /// What was recorded, after `close()` and until `release()`.
    closed: Vec<std::sync::Arc<Event>>,
    home: Arc<Home>,
}

#[napi]
impl NativeCapture {
    /// With `scope`, records only the events of that scope, of scopes nested in it and of no
    /// scope (the core's rule, `Capture::open_scoped`).
    #[napi(constructor, catch_unwind)]
    pub fn new(env: Env, patterns: Vec<String>, scope: Option<&NativeScope>) -> Result<Self> {
        let home = Home::of(&env)?;
        let capture = match scope {
            Some(scope) => Capture::open_scoped(&patterns, &scope.inner),
            None => Capture::open(&patterns),
        };
        let inner = Arc::new(Mutex::new(Some(capture.map_err(to_napi)?)));
        home.track_capture(&inner);
        Ok(NativeCapture { inner, closed: Vec::new(), home })
    }

    fn recorded(&self) -> Vec<std::sync::Arc<Event>> {
        match &*lock(&self.inner) {
            Some(c) => c.events(),
            None => self.closed.clone(),
        }
    }

    /// The events recorded so far, in emit order, as a JSON array.
    #[napi(catch_unwind)]
    pub fn events(&self) -> String {
        events_text(&self.recorded(), &self.home)
    }

    #[napi(getter, catch_unwind)]
    pub fn length(&self) -> u32 {
        self.recorded().len() as u32
    }

    /// Stops recording (idempotent); the recorded events stay readable until `release()`.
    #[napi(catch_unwind)]
    pub fn close(&mut self) {
        if let Some(c) = lock(&self.inner).take() {
            self.closed = c.close();
        }
    }

    /// Closes and frees what was recorded at once, instead of when the garbage collector finalizes
    /// this object (V8 does not see this memory, and a synchronous loop never runs finalizers).
    #[napi(catch_unwind)]
    pub fn release(&mut self) {
        self.close();
        self.closed = Vec::new();
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
        count: Option<f64>,
    ) -> Result<Option<String>> {
        let count = match count {
            Some(c) if c.fract() == 0.0 && (0.0..=9_007_199_254_740_991.0).contains(&c) => Some(c as usize),
            Some(c) => return Err(invalid_argument(format!("count must be a safe non-negative integer, got {c}"))),
            None => None,
        };
        let events = self.recorded();
        with_where(&self.home, where_json, predicate, |w| verdict(events::check_emitted(&events, &pattern, w, count)))?
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
        with_where(&self.home, where_json, predicate, |w| verdict(events::check_not_emitted(&events, &pattern, w)))?
    }

    #[napi(catch_unwind)]
    pub fn check_emitted_in_order(&self, patterns: Vec<String>) -> Result<Option<String>> {
        verdict(events::check_emitted_in_order(&self.recorded(), &patterns))
    }
}

/// A wake-hint subscription for one wait. An event emitted from JavaScript (on this wait's own
/// thread) calls `onWake` at once, inside the emit, so the driver's sleep is cut short before the
/// emitting callback even returns; an event from another thread, or a change of one of `paths`
/// (seen on the file-system watcher's thread), queues the call to the JS thread.
/// `onWake` gets the emission time on [`monotonic_ms`]'s clock: a queued hint arrives on a later
/// turn, possibly after the evaluation it was emitted during has ended, and the Poller needs to
/// know when it happened (SPEC §5: that decides whether it earns one more evaluation or none).
#[napi]
pub struct NativeWake {
    inner: Shared<WakeSubscription>,
}

#[napi]
impl NativeWake {
    #[napi(constructor, catch_unwind)]
    pub fn new(
        env: Env,
        patterns: Vec<String>,
        #[napi(ts_arg_type = "(emittedAtMs: string) => void")] on_wake: Function<String, Unknown<'static>>,
        paths: Option<Vec<String>>,
    ) -> Result<Self> {
        let home = Home::of(&env)?;
        let on_wake = JsCallback::new(&env, home.clone(), on_wake)?;
        let paths: Vec<std::path::PathBuf> = paths.into_iter().flatten().map(Into::into).collect();
        let sub = WakeSubscription::for_sources(&patterns, &paths, "wakeOnPath", move || {
            let emitted_at = monotonic_ms().to_string();
            if let Some(Err(_)) = on_wake.deliver(emitted_at.clone()) {
                // The direct call failed: the hint must not be lost, so queue it.
                on_wake.queue(emitted_at);
            }
        })
        .map_err(to_napi)?;
        let inner = Arc::new(Mutex::new(Some(sub)));
        home.track_wake(&inner);
        Ok(NativeWake { inner })
    }

    /// Detaches (idempotent).
    #[napi(catch_unwind)]
    pub fn close(&mut self) {
        let sub = lock(&self.inner).take();
        drop(sub);
    }
}

/// Milliseconds on the addon's clock (the system's monotonic clock, from the addon's own origin;
/// any thread's reading compares with any other's): the time a wake hint was emitted, which the
/// driver puts on its own clock.
#[napi(catch_unwind)]
pub fn monotonic_ms() -> f64 {
    static EPOCH: OnceLock<Instant> = OnceLock::new();
    EPOCH.get_or_init(Instant::now).elapsed().as_secs_f64() * 1000.0
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
