//! Capture scopes (SPEC §5): which test's code emitted an event.
//!
//! Captures are process-wide, so when two tests run at once in one process (Rust test threads,
//! asyncio tasks, Jest `test.concurrent`) one test's `not_emitted` fails on the other's event. A
//! **scoped** capture opens a new [`Scope`] and runs its block inside it; every event remembers
//! the scope it was emitted in, and a scoped capture records an event only when that scope is its
//! own or nested in it, or when the event was emitted in no scope at all. The last rule keeps the
//! events of threads the system under test started by itself (which belong to no test) visible:
//! dropping them would make `not_emitted` pass silently.
//!
//! Here the current scope is the thread's (the Rust API, the C ABI). The Python and JavaScript
//! bindings keep theirs in `contextvars` / `AsyncLocalStorage`, which follow tasks and async
//! continuations, and pass it with each emit ([`super::emit_event_in`]).

use std::cell::RefCell;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// A capture scope: cheap to clone (shared), compared by identity.
#[derive(Clone)]
pub struct Scope(Arc<Node>);

struct Node {
    id: u64,
    parent: Option<Scope>,
}

thread_local! {
    static CURRENT: RefCell<Option<Scope>> = const { RefCell::new(None) };
}

impl Scope {
    /// A new scope nested in `parent` (`None`: a scope of its own, inside no other).
    pub fn child_of(parent: Option<&Scope>) -> Scope {
        Scope(Arc::new(Node { id: NEXT_ID.fetch_add(1, Ordering::Relaxed), parent: parent.cloned() }))
    }

    /// A new scope nested in this thread's current one.
    #[allow(clippy::new_without_default)] // each call makes a different scope: not a default value
    pub fn new() -> Scope {
        Scope::child_of(Scope::current().as_ref())
    }

    /// This thread's current scope, if any. Threads do not inherit it: carry it into a spawned
    /// thread with `let s = Scope::current(); thread::spawn(move || s.run(|| …))`.
    pub fn current() -> Option<Scope> {
        CURRENT.with(|c| c.borrow().clone())
    }

    /// A number unique to this scope in the process.
    pub fn id(&self) -> u64 {
        self.0.id
    }

    pub fn parent(&self) -> Option<&Scope> {
        self.0.parent.as_ref()
    }

    /// Whether `other` is this scope or nested in it.
    pub fn contains(&self, other: &Scope) -> bool {
        let mut at = Some(other);
        while let Some(scope) = at {
            if Arc::ptr_eq(&scope.0, &self.0) {
                return true;
            }
            at = scope.parent();
        }
        false
    }

    /// Makes this the thread's current scope until the guard is dropped (which restores the one
    /// before, even on a panic).
    pub fn enter(&self) -> ScopeGuard {
        ScopeGuard { previous: set_current(Some(self.clone())) }
    }

    /// Makes `scope` the thread's current scope and returns the one before, for a door that
    /// cannot hold a [`ScopeGuard`] across calls (the C ABI enters a scope in one call and
    /// leaves it in another). Prefer [`Scope::enter`] / [`Scope::run`].
    pub fn replace_current(scope: Option<Scope>) -> Option<Scope> {
        set_current(scope)
    }

    /// Runs `f` with this as the thread's current scope.
    pub fn run<R>(&self, f: impl FnOnce() -> R) -> R {
        let _guard = self.enter();
        f()
    }

    /// `future`, polled with this as the current scope of whichever thread polls it. A task
    /// spawned from inside it does not inherit the scope (tokio has no hook for that): spawn
    /// `Scope::current().bind(task)` — see [`scoped`].
    pub fn bind<F: Future>(self, future: F) -> Scoped<F> {
        Scoped { scope: Some(self), future: Box::pin(future) }
    }
}

/// `future` bound to the current scope of this thread (none: it runs in none): what to spawn
/// from inside a scoped block, `tokio::spawn(liveness::events::scoped(task))`, so that its events
/// count as the test's.
pub fn scoped<F: Future>(future: F) -> Scoped<F> {
    Scoped { scope: Scope::current(), future: Box::pin(future) }
}

/// Runs `f` in no scope: its events reach every scoped capture, as a thread of the system under
/// test does.
pub fn unscoped<R>(f: impl FnOnce() -> R) -> R {
    let _guard = ScopeGuard { previous: set_current(None) };
    f()
}

fn set_current(scope: Option<Scope>) -> Option<Scope> {
    CURRENT.with(|c| std::mem::replace(&mut *c.borrow_mut(), scope))
}

/// Restores the thread's previous scope when dropped.
#[must_use = "the scope is left as soon as the guard is dropped"]
pub struct ScopeGuard {
    previous: Option<Scope>,
}

impl Drop for ScopeGuard {
    fn drop(&mut self) {
        set_current(self.previous.take());
    }
}

/// A future polled inside a scope ([`Scope::bind`], [`scoped`]).
pub struct Scoped<F> {
    scope: Option<Scope>,
    // Boxed so that Scoped is Unpin without unsafe pin projection; one allocation per bound task.
    future: Pin<Box<F>>,
}

impl<F: Future> Future for Scoped<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let _guard = ScopeGuard { previous: set_current(self.scope.clone()) };
        self.future.as_mut().poll(cx)
    }
}

impl fmt::Debug for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Scope({})", self.0.id)
    }
}

impl PartialEq for Scope {
    fn eq(&self, other: &Scope) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Eq for Scope {}

/// The capture rule: a capture scoped to `capture` records an event emitted in `emitted_in`.
pub(crate) fn sees(capture: &Scope, emitted_in: Option<&Scope>) -> bool {
    emitted_in.is_none_or(|scope| capture.contains(scope))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nesting_and_the_capture_rule() {
        let outer = Scope::child_of(None);
        let inner = Scope::child_of(Some(&outer));
        let sibling = Scope::child_of(None);
        assert!(outer.contains(&inner) && outer.contains(&outer));
        assert!(!inner.contains(&outer) && !outer.contains(&sibling));
        assert!(sees(&outer, Some(&inner)) && sees(&outer, None));
        assert!(!sees(&inner, Some(&outer)) && !sees(&outer, Some(&sibling)));
    }

    #[test]
    fn enter_restores_the_previous_scope_even_on_panic() {
        let a = Scope::child_of(None);
        let caught = std::panic::catch_unwind(|| a.run(|| panic!("boom")));
        assert!(caught.is_err());
        assert_eq!(Scope::current(), None);
        a.run(|| {
            assert_eq!(Scope::current(), Some(a.clone()));
            let b = Scope::new();
            assert_eq!(b.parent(), Some(&a));
            unscoped(|| assert_eq!(Scope::current(), None));
            assert_eq!(Scope::current(), Some(a.clone()));
        });
    }
}
