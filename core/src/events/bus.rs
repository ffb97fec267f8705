//! The process-wide bus: patterns → handlers, dispatched synchronously in the emitting thread.
//!
//! `emit` first reads one atomic counter; with nothing attached that is all it costs (after the
//! name check). Handlers live in a copy-on-write list: an emit clones an `Arc` and releases the
//! lock before calling anyone, so a handler may emit, attach or detach (even itself) freely.

use std::cell::Cell;
use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use once_cell::sync::Lazy;

use super::event::Event;
use super::name::{EventName, validate_name};
use super::pattern::Pattern;
use super::value::Value;
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

struct Handler {
    id: String,
    patterns: Vec<Pattern>,
    call: Box<HandlerFn>,
    report: Option<Box<ReporterFn>>,
}

impl Handler {
    fn wants(&self, name: &str) -> bool {
        self.patterns.iter().any(|p| p.matches(name))
    }
}

struct Bus {
    handlers: RwLock<Arc<Vec<Arc<Handler>>>>,
    epoch: Instant,
}

/// How many handlers are attached anywhere: the one load an idle `emit` pays.
static ATTACHED: AtomicUsize = AtomicUsize::new(0);
static SEQ: AtomicU64 = AtomicU64::new(0);
static BUS: Lazy<Bus> = Lazy::new(|| Bus { handlers: RwLock::new(Arc::new(Vec::new())), epoch: Instant::now() });

/// Handlers that emit are allowed, but a handler that re-triggers itself must not overflow the
/// stack: past this depth an emit fails (and so detaches the handler that made it).
const MAX_NESTING: u32 = 16;

thread_local! {
    static NESTING: Cell<u32> = const { Cell::new(0) };
}

fn snapshot() -> Arc<Vec<Arc<Handler>>> {
    BUS.handlers.read().unwrap_or_else(|e| e.into_inner()).clone()
}

fn modify(change: impl FnOnce(&mut Vec<Arc<Handler>>)) {
    let mut guard = BUS.handlers.write().unwrap_or_else(|e| e.into_inner());
    let mut list: Vec<Arc<Handler>> = guard.as_ref().clone();
    let before = list.len();
    change(&mut list);
    let after = list.len();
    *guard = Arc::new(list);
    if after > before {
        ATTACHED.fetch_add(after - before, Ordering::SeqCst);
    } else {
        ATTACHED.fetch_sub(before - after, Ordering::SeqCst);
    }
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

/// Like [`attach`], with the host's own way of reporting a failed handler (a Python warning, a
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
    let handler = Arc::new(Handler { id: id.to_owned(), patterns, call, report });
    let mut duplicate = false;
    modify(|list| {
        if list.iter().any(|h| h.id == id) {
            duplicate = true;
        } else {
            list.push(handler);
        }
    });
    if duplicate {
        return Err(Error::invalid_argument(format!("a handler with id {id:?} is already attached")));
    }
    Ok(())
}

/// Detaches the handler `id`; `false` when none was attached.
pub fn detach(id: &str) -> bool {
    let mut found = false;
    modify(|list| {
        let before = list.len();
        list.retain(|h| h.id != id);
        found = list.len() != before;
    });
    found
}

fn detach_exact(handler: &Arc<Handler>) -> bool {
    let mut found = false;
    modify(|list| {
        let before = list.len();
        list.retain(|h| !Arc::ptr_eq(h, handler));
        found = list.len() != before;
    });
    found
}

/// Whether any handler at all is attached (one atomic load): a host whose every call into the
/// core has a fixed cost can ask this before building a payload or checking a name again.
#[inline]
pub fn any_attached() -> bool {
    ATTACHED.load(Ordering::Acquire) != 0
}

/// Whether emitting `name` would reach any handler now.
pub fn has_subscribers(name: &str) -> bool {
    if ATTACHED.load(Ordering::Acquire) == 0 {
        return false;
    }
    snapshot().iter().any(|h| h.wants(name))
}

/// Emits an event. Invalid names are an error even with nothing attached; past that check, an
/// emit with nothing attached costs one atomic load and the payload is never looked at.
pub fn emit<K, M, D, V>(name: &str, measurements: M, metadata: D) -> Result<(), Error>
where
    K: Into<String>,
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
    K: Into<String>,
    M: IntoIterator<Item = (K, f64)>,
    D: IntoIterator<Item = (K, V)>,
    V: Into<Value>,
{
    dispatch(name.as_str(), measurements, metadata)
}

#[inline]
fn dispatch<K, M, D, V>(name: &str, measurements: M, metadata: D) -> Result<(), Error>
where
    K: Into<String>,
    M: IntoIterator<Item = (K, f64)>,
    D: IntoIterator<Item = (K, V)>,
    V: Into<Value>,
{
    if ATTACHED.load(Ordering::Acquire) == 0 {
        return Ok(());
    }
    let measurements = measurements.into_iter().map(|(k, v)| (k.into(), v)).collect();
    let metadata = metadata.into_iter().map(|(k, v)| (k.into(), v.into())).collect();
    emit_event(name, measurements, metadata)
}

/// Emits with payload maps already built (the bindings' path). The name must be valid.
pub fn emit_event(
    name: &str,
    measurements: BTreeMap<String, f64>,
    metadata: BTreeMap<String, Value>,
) -> Result<(), Error> {
    if ATTACHED.load(Ordering::Acquire) == 0 {
        return Ok(());
    }
    let handlers = snapshot();
    let targets: Vec<&Arc<Handler>> = handlers.iter().filter(|h| h.wants(name)).collect();
    if targets.is_empty() {
        return Ok(());
    }
    let depth = NESTING.with(|n| n.get());
    if depth >= MAX_NESTING {
        return Err(Error::invalid_argument(format!(
            "event {name:?} emitted from handlers nested {MAX_NESTING} deep: a handler is re-triggering itself"
        )));
    }
    let event = Arc::new(Event {
        name: name.to_owned(),
        measurements,
        metadata,
        seq: SEQ.fetch_add(1, Ordering::Relaxed),
        at: BUS.epoch.elapsed(),
        thread: THREAD_LABEL.with(String::clone),
    });
    NESTING.with(|n| n.set(depth + 1));
    for handler in targets {
        let result = catch_unwind(AssertUnwindSafe(|| (handler.call)(&event)));
        let error = match result {
            Ok(Ok(())) => continue,
            Ok(Err(text)) => text,
            Err(panic) => format!("panicked: {}", crate::ops::panic_text(panic.as_ref())),
        };
        handler_failed(handler, &event, error);
    }
    NESTING.with(|n| n.set(depth));
    Ok(())
}

fn handler_failed(handler: &Arc<Handler>, event: &Event, error: String) {
    if !detach_exact(handler) {
        return; // already detached by someone else, e.g. by itself before failing
    }
    let failure = HandlerFailure { handler_id: handler.id.clone(), event: event.name.clone(), error };
    if let Some(report) = &handler.report {
        let _ = catch_unwind(AssertUnwindSafe(|| report(&failure)));
    }
    let metadata = [
        ("handler", Value::from(failure.handler_id.as_str())),
        ("event", Value::from(failure.event.as_str())),
        ("error", Value::from(failure.error.as_str())),
    ];
    // A failure while reporting a failure is dropped: the emitter must be unaffected.
    let _ = emit(HANDLER_FAILURE_EVENT, std::iter::empty::<(&str, f64)>(), metadata);
}

thread_local! {
    // Worked out once per thread: formatting a thread id on every emit cost more than the emit.
    static THREAD_LABEL: String = {
        let current = std::thread::current();
        match current.name() {
            Some(name) => name.to_owned(),
            None => format!("{:?}", current.id()),
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
