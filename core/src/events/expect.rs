//! The Rust front of the event assertions: capture everything while a block runs, then check.
//!
//! ```
//! # use liveness::events::{emitted, event};
//! let v = emitted("breaker.state_change").with_meta("to", "open").run(|| {
//!     event("breaker.state_change").meta("to", "open").emit();
//!     42
//! }).unwrap();
//! assert_eq!(v, 42);
//! ```

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::Arc;

use super::assertion::{Where, check_emitted, check_emitted_in_order, check_not_emitted};
use super::capture::Capture;
use super::event::Event;
use super::scope::Scope;
use super::value::Value;
use crate::error::Error;

enum Filter {
    Any,
    Metadata(BTreeMap<String, Value>),
    Predicate(Box<dyn Fn(&Event) -> bool>),
}

impl Filter {
    fn as_where(&self) -> Where<'_> {
        match self {
            Filter::Any => Where::Any,
            Filter::Metadata(m) => Where::Metadata(m.clone()),
            Filter::Predicate(p) => Where::Predicate(p.as_ref()),
        }
    }

    fn add_meta(&mut self, key: &str, value: Value) {
        if !matches!(self, Filter::Metadata(_)) {
            *self = Filter::Metadata(BTreeMap::new());
        }
        if let Filter::Metadata(m) = self {
            m.insert(key.to_owned(), value);
        }
    }
}

/// A capture of every event for a block; a scoped one with the new scope (nested in the thread's
/// current one) the block is to run in.
fn open_for_block(scoped: bool) -> Result<(Capture, Option<Scope>), Error> {
    if scoped {
        let scope = Scope::new();
        Ok((Capture::open_scoped(&["**"], &scope)?, Some(scope)))
    } else {
        Ok((Capture::open(&["**"])?, None))
    }
}

/// Runs `block` with a capture of every event open, closing it even if the block panics (the
/// panic drops the capture, which closes it).
fn capture_during<R>(scoped: bool, block: impl FnOnce() -> R) -> Result<(R, Vec<Arc<Event>>), Error> {
    let (capture, scope) = open_for_block(scoped)?;
    let value = match &scope {
        Some(scope) => scope.run(block),
        None => block(),
    };
    Ok((value, capture.close()))
}

/// [`capture_during`] for a future: a scoped capture polls it in its scope.
async fn capture_during_async<F: Future>(scoped: bool, block: F) -> Result<(F::Output, Vec<Arc<Event>>), Error> {
    let (capture, scope) = open_for_block(scoped)?;
    let value = match scope {
        Some(scope) => scope.bind(block).await,
        None => block.await,
    };
    Ok((value, capture.close()))
}

/// Expects matching events while a block runs: at least one, or exactly `count`.
#[must_use = "call .run(block) or .assert(block)"]
pub struct Emitted {
    pattern: String,
    filter: Filter,
    count: Option<usize>,
    scoped: bool,
}

/// `emitted("a.*").with_meta("k", v).count(2).run(|| ...)`
pub fn emitted(pattern: &str) -> Emitted {
    Emitted { pattern: pattern.to_owned(), filter: Filter::Any, count: None, scoped: false }
}

impl Emitted {
    /// Requires this metadata entry (a subset match; may be repeated).
    pub fn with_meta(mut self, key: &str, value: impl Into<Value>) -> Self {
        self.filter.add_meta(key, value.into());
        self
    }

    /// Requires events to satisfy `predicate` (replaces any metadata filter).
    pub fn matching(mut self, predicate: impl Fn(&Event) -> bool + 'static) -> Self {
        self.filter = Filter::Predicate(Box::new(predicate));
        self
    }

    pub fn count(mut self, n: usize) -> Self {
        self.count = Some(n);
        self
    }

    /// Sees only the events of the block's own scope (and of no scope), not those another test
    /// running at the same time emits (SPEC §5, scoped captures). The block runs in a new scope
    /// on this thread; a thread or task it starts carries it by [`Scope::run`] / [`scoped`].
    ///
    /// [`scoped`]: crate::events::scoped
    pub fn scoped(mut self) -> Self {
        self.scoped = true;
        self
    }

    /// Runs the block to completion, then checks; returns the block's value.
    pub fn run<R>(self, block: impl FnOnce() -> R) -> Result<R, Error> {
        crate::events::Pattern::new(&self.pattern)?;
        let (value, events) = capture_during(self.scoped, block)?;
        check_emitted(&events, &self.pattern, &self.filter.as_where(), self.count)?;
        Ok(value)
    }

    /// [`Emitted::run`] for a future: awaits it to completion, then checks.
    pub async fn run_async<F: Future>(self, block: F) -> Result<F::Output, Error> {
        crate::events::Pattern::new(&self.pattern)?;
        let (value, events) = capture_during_async(self.scoped, block).await?;
        check_emitted(&events, &self.pattern, &self.filter.as_where(), self.count)?;
        Ok(value)
    }

    /// `.run(block)` for a test: returns the block's value, or panics with the report.
    #[track_caller]
    pub fn assert<R>(self, block: impl FnOnce() -> R) -> R {
        match self.run(block) {
            Ok(value) => value,
            Err(e) => crate::error::fail(e),
        }
    }
}

/// Expects no matching event while a block runs.
#[must_use = "call .run(block) or .assert(block)"]
pub struct NotEmitted {
    inner: Emitted,
}

pub fn not_emitted(pattern: &str) -> NotEmitted {
    NotEmitted { inner: emitted(pattern) }
}

impl NotEmitted {
    pub fn with_meta(self, key: &str, value: impl Into<Value>) -> Self {
        NotEmitted { inner: self.inner.with_meta(key, value) }
    }

    pub fn matching(self, predicate: impl Fn(&Event) -> bool + 'static) -> Self {
        NotEmitted { inner: self.inner.matching(predicate) }
    }

    /// See [`Emitted::scoped`].
    pub fn scoped(self) -> Self {
        NotEmitted { inner: self.inner.scoped() }
    }

    pub fn run<R>(self, block: impl FnOnce() -> R) -> Result<R, Error> {
        crate::events::Pattern::new(&self.inner.pattern)?;
        let (value, events) = capture_during(self.inner.scoped, block)?;
        check_not_emitted(&events, &self.inner.pattern, &self.inner.filter.as_where())?;
        Ok(value)
    }

    /// [`NotEmitted::run`] for a future.
    pub async fn run_async<F: Future>(self, block: F) -> Result<F::Output, Error> {
        crate::events::Pattern::new(&self.inner.pattern)?;
        let (value, events) = capture_during_async(self.inner.scoped, block).await?;
        check_not_emitted(&events, &self.inner.pattern, &self.inner.filter.as_where())?;
        Ok(value)
    }

    /// `.run(block)` for a test: returns the block's value, or panics with the report.
    #[track_caller]
    pub fn assert<R>(self, block: impl FnOnce() -> R) -> R {
        match self.run(block) {
            Ok(value) => value,
            Err(e) => crate::error::fail(e),
        }
    }
}

/// Expects events matching these patterns in this order (others may come between).
#[must_use = "call .run(block) or .assert(block)"]
pub struct EmittedInOrder {
    patterns: Vec<String>,
    scoped: bool,
}

pub fn emitted_in_order<S: AsRef<str>>(patterns: &[S]) -> EmittedInOrder {
    EmittedInOrder { patterns: patterns.iter().map(|p| p.as_ref().to_owned()).collect(), scoped: false }
}

impl EmittedInOrder {
    /// See [`Emitted::scoped`].
    pub fn scoped(mut self) -> Self {
        self.scoped = true;
        self
    }

    pub fn run<R>(self, block: impl FnOnce() -> R) -> Result<R, Error> {
        for p in &self.patterns {
            crate::events::Pattern::new(p)?;
        }
        let (value, events) = capture_during(self.scoped, block)?;
        check_emitted_in_order(&events, &self.patterns)?;
        Ok(value)
    }

    /// [`EmittedInOrder::run`] for a future.
    pub async fn run_async<F: Future>(self, block: F) -> Result<F::Output, Error> {
        for p in &self.patterns {
            crate::events::Pattern::new(p)?;
        }
        let (value, events) = capture_during_async(self.scoped, block).await?;
        check_emitted_in_order(&events, &self.patterns)?;
        Ok(value)
    }

    /// `.run(block)` for a test: returns the block's value, or panics with the report.
    #[track_caller]
    pub fn assert<R>(self, block: impl FnOnce() -> R) -> R {
        match self.run(block) {
            Ok(value) => value,
            Err(e) => crate::error::fail(e),
        }
    }
}
