//! The process-wide bus: patterns → handlers, dispatched synchronously in the emitting thread.
//!
//! `emit` first reads one atomic counter; with nothing attached that is all it costs (after the
//! name check). Handlers live in a [`PatternIndex`] under a read-write lock that is held only to
//! find or change entries, never while a handler runs: an emit collects the handlers that match
//! and releases the lock before calling anyone, so a handler may emit, attach or detach (even
//! itself) freely, and attaching is a few map operations whatever the number attached.
//!
//! Two bounds keep handlers that emit from taking the emitter down: nesting (a handler
//! re-triggering itself would overflow the stack) and the total number of handler calls one
//! top-level emit may cause (three handlers that re-emit used to make 64 million calls for one
//! emit). A handler whose emit crosses either bound fails, through the usual failure path: it is
//! detached and reported, and the top-level emit returns as if nothing happened.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::{Duration, Instant};

use once_cell::sync::Lazy;

use super::event::Event;
use super::fields::{FieldKey, FieldMap};
use super::index::PatternIndex;
use super::name::{EventName, validate_name};
use super::pattern::Pattern;
use super::scope::Scope;
use super::value::{Number, Value};
use crate::error::Error;

/// What a handler returns; `Err` (or a panic) detaches it.
pub type HandlerResult = Result<(), String>;
// Handlers get the shared event so that a capture keeps it without a deep copy.
type HandlerFn = dyn Fn(&Arc<Event>) -> HandlerResult + Send + Sync;
type ReporterFn = dyn Fn(&HandlerFailure) + Send + Sync;

/// A handler that failed and was detached; also emitted as `liveness.handler.failure`.
#[derive(Debug, Clone)]
pub struct HandlerFailure {
    pub handler_id: String,
    pub event: String,
    pub error: String,
}

/// The name of the event that reports a failed handler.
pub const HANDLER_FAILURE_EVENT: &str = "liveness.handler.failure";

/// Handlers that emit are allowed, but a handler that re-triggers itself must not overflow the
/// stack: an emit this deep in handlers fails, and so does the handler that made it.
pub const MAX_NESTING: u32 = 16;

/// The most handler calls that the emits of handlers may add to one top-level emit. The
/// top-level emit's own calls do not count (10,000 handlers on one name is a real setup); this
/// bounds only the cascade, whose breadth the nesting limit does not.
pub const MAX_CASCADE_CALLS: u32 = 10_000;

struct Handler {
    id: String,
    key: u64,
    patterns: Vec<Pattern>,
    call: Box<HandlerFn>,
    report: Option<Box<ReporterFn>>,
    /// Calls in progress, on any thread: what `detach_and_wait` waits for, and what the child of
    /// a fork checks to forget handlers another thread was inside.
    running: AtomicUsize,
    detached: AtomicBool,
    /// The attaching thread: in the child of a fork, handlers of the other threads are
    /// forgotten (those threads do not exist there, and may have held the handler's own locks,
    /// such as a capture's buffer being read, at the moment of the fork).
    owner: std::thread::ThreadId,
}

#[derive(Default)]
pub(super) struct Registry {
    by_id: HashMap<String, Arc<Handler>>,
    index: PatternIndex<Arc<Handler>>,
}

struct Bus {
    registry: RwLock<Registry>,
    epoch: Instant,
    /// Signalled when a call of a detached handler ends (`detach_and_wait`).
    quiet: (Mutex<()>, Condvar),
}

/// How many handlers are attached anywhere: the one load an idle `emit` pays.
static ATTACHED: AtomicUsize = AtomicUsize::new(0);
static SEQ: AtomicU64 = AtomicU64::new(0);
/// Bumped by every attach and detach, inside the registry's write lock: what a binding caches a
/// name's [`has_subscribers`] answer against (see [`subscription_generation`]).
static GENERATION: AtomicU64 = AtomicU64::new(1);
static NEXT_KEY: AtomicU64 = AtomicU64::new(0);
static BUS: Lazy<Bus> = Lazy::new(|| {
    super::fork::install();
    Bus { registry: RwLock::new(Registry::default()), epoch: Instant::now(), quiet: (Mutex::new(()), Condvar::new()) }
});

/// What this thread is dispatching: the handlers it is inside (innermost last) and the cascade
/// budget of the top-level emit they belong to.
#[derive(Default)]
struct Dispatch {
    running: Vec<Running>,
    cascade_calls: u32,
    top_level: String,
    /// Failures to emit as `liveness.handler.failure` once the top-level emit is over: emitted
    /// inside the cascade they would be refused by the very bound they report.
    failures: Vec<HandlerFailure>,
}

struct Running {
    /// Compared by address only; the emit that called it keeps the handler alive meanwhile.
    handler: *const Handler,
    /// Set when an emit of this handler crossed a bound: the handler then fails with this text.
    overran: Option<String>,
}

thread_local! {
    static DISPATCH: RefCell<Dispatch> = RefCell::new(Dispatch::default());
    static DEPTH: Cell<u32> = const { Cell::new(0) };
}

fn read() -> RwLockReadGuard<'static, Registry> {
    // No handler runs under the lock, so it is never poisoned by one; recover anyway.
    BUS.registry.read().unwrap_or_else(|e| e.into_inner())
}

fn write() -> RwLockWriteGuard<'static, Registry> {
    BUS.registry.write().unwrap_or_else(|e| e.into_inner())
}

fn parse_patterns<S: AsRef<str>>(patterns: &[S]) -> Result<Vec<Pattern>, Error> {
    if patterns.is_empty() {
        return Err(Error::invalid_argument("at least one event pattern is needed"));
    }
    patterns.iter().map(|p| Pattern::new(p.as_ref())).collect()
}

/// Attaches `handler` under `id` for events matching any of `patterns`. A handler that fails is
/// detached and reported on stderr and as the event `liveness.handler.failure`.
pub fn attach<S: AsRef<str>>(
    id: &str,
    patterns: &[S],
    handler: impl Fn(&Event) -> HandlerResult + Send + Sync + 'static,
) -> Result<(), Error> {
    attach_with_reporter(id, patterns, handler, |f: &HandlerFailure| {
        eprintln!(
            "liveness: warning: handler {:?} failed on {:?} and was detached: {}",
            f.handler_id, f.event, f.error
        );
    })
}

/// Like [`attach`], with the binding's own way of reporting a failed handler (a Python warning, a
/// Node process warning). The failure event is emitted either way.
pub fn attach_with_reporter<S: AsRef<str>>(
    id: &str,
    patterns: &[S],
    handler: impl Fn(&Event) -> HandlerResult + Send + Sync + 'static,
    reporter: impl Fn(&HandlerFailure) + Send + Sync + 'static,
) -> Result<(), Error> {
    attach_boxed(id, patterns, Box::new(move |event: &Arc<Event>| handler(event)), Some(Box::new(reporter)))
}

pub(crate) fn attach_boxed<S: AsRef<str>>(
    id: &str,
    patterns: &[S],
    call: Box<HandlerFn>,
    report: Option<Box<ReporterFn>>,
) -> Result<(), Error> {
    if id.is_empty() {
        return Err(Error::invalid_argument("a handler id must not be empty"));
    }
    let patterns = parse_patterns(patterns)?;
    let key = NEXT_KEY.fetch_add(1, Ordering::Relaxed);
    let handler = Arc::new(Handler {
        id: id.to_owned(),
        key,
        patterns,
        call,
        report,
        running: AtomicUsize::new(0),
        detached: AtomicBool::new(false),
        owner: std::thread::current().id(),
    });
    let mut registry = write();
    if registry.by_id.contains_key(id) {
        drop(registry);
        return Err(Error::invalid_argument(format!("a handler with id {id:?} is already attached")));
    }
    for pattern in &handler.patterns {
        registry.index.insert(pattern, key, handler.clone());
    }
    registry.by_id.insert(handler.id.clone(), handler);
    ATTACHED.fetch_add(1, Ordering::SeqCst);
    GENERATION.fetch_add(1, Ordering::SeqCst);
    Ok(())
}

/// Takes `handler` out of the registry (the lock is held by the caller).
fn unregister(registry: &mut Registry, handler: &Arc<Handler>) {
    for pattern in &handler.patterns {
        registry.index.remove(pattern, handler.key);
    }
    handler.detached.store(true, Ordering::SeqCst);
    ATTACHED.fetch_sub(1, Ordering::SeqCst);
    GENERATION.fetch_add(1, Ordering::SeqCst);
}

fn take(id: &str) -> Option<Arc<Handler>> {
    let mut registry = write();
    let handler = registry.by_id.remove(id)?;
    unregister(&mut registry, &handler);
    Some(handler)
}

/// Detaches the handler `id`; `false` when none was attached. A call of it already running on
/// another thread may still be running when this returns: see [`detach_and_wait`].
pub fn detach(id: &str) -> bool {
    take(id).is_some()
}

/// Detaches the handler `id` and waits until no call of it is running on another thread, so
/// that what the handler uses may be freed afterwards. A call on this thread (a handler that
/// detaches itself) is not waited for. `false` when none was attached.
///
/// The caller must not hold anything a running call of the handler waits for.
pub fn detach_and_wait(id: &str) -> bool {
    let Some(handler) = take(id) else {
        return false;
    };
    let mine = calls_on_this_thread(&handler);
    let (lock, quiet) = &BUS.quiet;
    let mut guard = lock.lock().unwrap_or_else(|e| e.into_inner());
    while handler.running.load(Ordering::SeqCst) > mine {
        // The timeout only guards against a missed signal; the loop re-checks the count.
        guard = quiet.wait_timeout(guard, Duration::from_millis(50)).unwrap_or_else(|e| e.into_inner()).0;
    }
    true
}

/// How many calls of `handler` this thread is inside.
fn calls_on_this_thread(handler: &Arc<Handler>) -> usize {
    DISPATCH.with(|d| d.borrow().running.iter().filter(|r| std::ptr::eq(r.handler, Arc::as_ptr(handler))).count())
}

fn detach_exact(handler: &Arc<Handler>) -> bool {
    let mut registry = write();
    match registry.by_id.get(&handler.id) {
        Some(current) if Arc::ptr_eq(current, handler) => {
            registry.by_id.remove(&handler.id);
            unregister(&mut registry, handler);
            true
        }
        _ => false,
    }
}

/// Whether any handler at all is attached (one atomic load): a binding whose every call into the
/// core has a fixed cost can ask this before building a payload or checking a name again.
#[inline]
pub fn any_attached() -> bool {
    ATTACHED.load(Ordering::Acquire) != 0
}

/// 0 when nothing is attached; otherwise a number that changes whenever a handler, capture or
/// wake subscription is attached or detached. A binding whose every call into the core has a
/// fixed cost may keep what [`has_subscribers`] said for a name while this is unchanged: read this
/// first, then ask, and cache the answer under the value read.
pub fn subscription_generation() -> u64 {
    if ATTACHED.load(Ordering::Acquire) == 0 { 0 } else { GENERATION.load(Ordering::Acquire) }
}

/// Whether emitting `name` would reach any handler now.
pub fn has_subscribers(name: &str) -> bool {
    if ATTACHED.load(Ordering::Acquire) == 0 {
        return false;
    }
    let mut any = false;
    read().index.find(name, &mut |_, _| {
        any = true;
        false
    });
    any
}

/// Emits an event. Invalid names are an error even with nothing attached; past that check, an
/// emit with nothing attached costs one atomic load and the payload is never looked at.
pub fn emit<K, M, D, V>(name: &str, measurements: M, metadata: D) -> Result<(), Error>
where
    K: Into<FieldKey>,
    M: IntoIterator<Item = (K, f64)>,
    D: IntoIterator<Item = (K, V)>,
    V: Into<Value>,
{
    validate_name(name)?;
    dispatch(name, measurements, metadata)
}

/// Emits under a pre-validated name: with nothing attached, one atomic load in all.
pub fn emit_named<K, M, D, V>(name: &EventName, measurements: M, metadata: D) -> Result<(), Error>
where
    K: Into<FieldKey>,
    M: IntoIterator<Item = (K, f64)>,
    D: IntoIterator<Item = (K, V)>,
    V: Into<Value>,
{
    dispatch(name.as_str(), measurements, metadata)
}

#[inline]
fn dispatch<K, M, D, V>(name: &str, measurements: M, metadata: D) -> Result<(), Error>
where
    K: Into<FieldKey>,
    M: IntoIterator<Item = (K, f64)>,
    D: IntoIterator<Item = (K, V)>,
    V: Into<Value>,
{
    if ATTACHED.load(Ordering::Acquire) == 0 {
        return Ok(());
    }
    let measurements: FieldMap<Number> = measurements.into_iter().map(|(k, v)| (k, Number::Float(v))).collect();
    let metadata: FieldMap<Value> = metadata.into_iter().map(|(k, v)| (k, v.into())).collect();
    emit_event(name, measurements, metadata)
}

thread_local! {
    /// The list an emit collects its handlers in, kept for this thread's next emit: one
    /// allocation and free fewer per emit (an emit from inside a handler takes a fresh one).
    static SPARE_TARGETS: Cell<Vec<Arc<Handler>>> = const { Cell::new(Vec::new()) };
}

/// Hands a drained target list back for this thread's next emit (a huge one is let go).
fn return_targets(mut targets: Vec<Arc<Handler>>) {
    targets.clear();
    if targets.capacity() <= 64 {
        SPARE_TARGETS.with(|spare| spare.set(targets));
    }
}

/// The handlers listening to `name`, in attach order, each once.
fn listeners(name: &str) -> Vec<Arc<Handler>> {
    let mut found: Vec<Arc<Handler>> = SPARE_TARGETS.with(Cell::take);
    read().index.find(name, &mut |_, handler| {
        found.push(handler.clone());
        true
    });
    if found.len() > 1 {
        found.sort_unstable_by_key(|h| h.key);
        found.dedup_by_key(|h| h.key);
    }
    found
}

/// Emits with payload maps already built (a [`FieldMap`], or a `BTreeMap` converted into one),
/// in this thread's current scope. The name must be valid.
pub fn emit_event(
    name: &str,
    measurements: impl Into<FieldMap<Number>>,
    metadata: impl Into<FieldMap<Value>>,
) -> Result<(), Error> {
    if ATTACHED.load(Ordering::Acquire) == 0 {
        return Ok(());
    }
    emit_event_in(name, measurements.into(), metadata.into(), Scope::current())
}

/// Emits with payload maps already built, in `scope` (the bindings' path: Python and JavaScript
/// keep the current scope in their own context, not in the thread). The name must be valid.
pub fn emit_event_in(
    name: &str,
    measurements: FieldMap<Number>,
    metadata: FieldMap<Value>,
    scope: Option<Scope>,
) -> Result<(), Error> {
    if ATTACHED.load(Ordering::Acquire) == 0 {
        return Ok(());
    }
    let mut targets = listeners(name);
    if targets.is_empty() {
        return_targets(targets);
        return Ok(());
    }
    let depth = DEPTH.with(Cell::get);
    if depth > 0 {
        // An emit from inside a handler: it is part of the top-level emit's cascade.
        charge_cascade(name, depth, targets.len())?;
    } else {
        DISPATCH.with(|d| {
            let mut d = d.borrow_mut();
            d.cascade_calls = 0;
            d.top_level.clear();
            d.top_level.push_str(name);
        });
    }
    let event = Arc::new(Event {
        name: name.into(),
        measurements,
        metadata,
        seq: SEQ.fetch_add(1, Ordering::Relaxed),
        at: BUS.epoch.elapsed(),
        thread: THREAD_LABEL.with(Arc::clone),
        scope,
    });
    DEPTH.with(|n| n.set(depth + 1));
    for handler in targets.drain(..) {
        if let Some(error) = call(&handler, &event) {
            handler_failed(&handler, &event, error);
        }
    }
    return_targets(targets);
    DEPTH.with(|n| n.set(depth));
    if depth == 0 {
        emit_failures();
    }
    Ok(())
}

/// Emits the failures queued during a top-level emit, each as a top-level emit of its own (a
/// failing failure handler queues one more, and is detached: the loop ends).
fn emit_failures() {
    while let Some(failure) = DISPATCH.with(|d| d.borrow_mut().failures.pop()) {
        let metadata = [
            ("handler", Value::from(failure.handler_id.as_str())),
            ("event", Value::from(failure.event.as_str())),
            ("error", Value::from(failure.error.as_str())),
        ];
        // A failure while reporting a failure is dropped: the emitter must be unaffected.
        let _ = emit(HANDLER_FAILURE_EVENT, std::iter::empty::<(&str, f64)>(), metadata);
    }
}

/// Counts a nested emit's calls against the bounds; past one, marks the handler that emitted
/// (the innermost running on this thread) as failed and refuses the emit.
fn charge_cascade(name: &str, depth: u32, calls: usize) -> Result<(), Error> {
    DISPATCH.with(|d| {
        let mut d = d.borrow_mut();
        let calls = u32::try_from(calls).unwrap_or(u32::MAX);
        let error = if depth >= MAX_NESTING {
            format!("event {name:?} emitted from handlers nested {MAX_NESTING} deep: a handler is re-triggering itself")
        } else if d.cascade_calls.saturating_add(calls) > MAX_CASCADE_CALLS {
            format!(
                "event {name:?}: the handlers' emits caused more than {MAX_CASCADE_CALLS} handler calls for one                  emit of {:?}: handlers are re-triggering each other",
                d.top_level
            )
        } else {
            d.cascade_calls += calls;
            return Ok(());
        };
        if let Some(innermost) = d.running.last_mut() {
            innermost.overran.get_or_insert_with(|| error.clone());
        }
        Err(Error::invalid_argument(error))
    })
}

/// Calls one handler; `Some(error)` when it failed (returned an error, panicked, or overran).
fn call(handler: &Arc<Handler>, event: &Arc<Event>) -> Option<String> {
    handler.running.fetch_add(1, Ordering::SeqCst);
    DISPATCH.with(|d| d.borrow_mut().running.push(Running { handler: Arc::as_ptr(handler), overran: None }));
    let result = catch_unwind(AssertUnwindSafe(|| (handler.call)(event)));
    let overran = DISPATCH.with(|d| d.borrow_mut().running.pop().and_then(|r| r.overran));
    if handler.running.fetch_sub(1, Ordering::SeqCst) == 1 && handler.detached.load(Ordering::SeqCst) {
        let (lock, quiet) = &BUS.quiet;
        drop(lock.lock().unwrap_or_else(|e| e.into_inner()));
        quiet.notify_all();
    }
    match (overran, result) {
        (Some(error), _) => Some(error),
        (None, Ok(Ok(()))) => None,
        (None, Ok(Err(text))) => Some(text),
        (None, Err(panic)) => Some(format!("panicked: {}", crate::ops::panic_text(panic.as_ref()))),
    }
}

fn handler_failed(handler: &Arc<Handler>, event: &Event, error: String) {
    if !detach_exact(handler) {
        return; // already detached by someone else, e.g. by itself before failing
    }
    let failure = HandlerFailure { handler_id: handler.id.clone(), event: event.name.to_string(), error };
    if let Some(report) = &handler.report {
        let _ = catch_unwind(AssertUnwindSafe(|| report(&failure)));
    }
    DISPATCH.with(|d| d.borrow_mut().failures.insert(0, failure));
}

/// For the child of a fork (events/fork.rs): the lock is held by the forking thread across the
/// fork, so the registry is consistent. Handlers attached by another thread, or that another
/// thread was inside at that moment, may hold locks nobody will release in the child, so the
/// child forgets them (they are leaked, never called or dropped: dropping could run a binding's
/// destructor in the wrong state). The forking thread's own idle handlers stay attached.
pub(super) fn forget_handlers_of_other_threads(registry: &mut Registry) {
    let me = std::thread::current().id();
    let busy: Vec<Arc<Handler>> = registry
        .by_id
        .values()
        .filter(|h| h.owner != me || h.running.load(Ordering::SeqCst) > calls_on_this_thread(h))
        .cloned()
        .collect();
    for handler in busy {
        registry.by_id.remove(&handler.id);
        unregister(registry, &handler);
        std::mem::forget(handler);
    }
}

pub(super) fn lock_for_fork() -> RwLockWriteGuard<'static, Registry> {
    write()
}

thread_local! {
    // Worked out once per thread: formatting a thread id on every emit cost more than the emit.
    // Shared by the thread's events: one count increment per emit, not a copy.
    static THREAD_LABEL: Arc<str> = {
        let current = std::thread::current();
        match current.name() {
            Some(name) => name.into(),
            None => format!("{:?}", current.id()).into(),
        }
    };
}

/// Time since the bus started, on the clock of `Event::at`.
pub fn bus_time() -> Duration {
    BUS.epoch.elapsed()
}

static NEXT_INTERNAL_ID: AtomicU64 = AtomicU64::new(0);

/// A fresh id for handlers the core attaches for itself (captures, wake hints).
pub(crate) fn internal_id(kind: &str) -> String {
    format!("liveness.{kind}.{}", NEXT_INTERNAL_ID.fetch_add(1, Ordering::Relaxed))
}
