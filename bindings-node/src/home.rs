//! Per-environment state: the addon may be loaded in the main thread and in any number of
//! `worker_threads` Workers at once (napi-rs registers it through `napi_register_module_v1`, the
//! context-aware entry point, so Node loads it once per environment), while the bus is one per
//! process. A [`Home`] is one environment's share of that bus:
//!
//! - what the environment attached (handlers, captures, wake subscriptions), removed by an env
//!   cleanup hook when the environment is torn down (a Worker that ends or is terminated), so its
//!   handlers neither linger on the process-wide bus nor hold its ids;
//! - a graveyard for napi references the core dropped on another thread (a handler's last `Arc`
//!   may go on whichever thread detached it or was dispatching to it): they are deleted on their
//!   own thread at its next call into the addon or at teardown, and knowingly leaked once their
//!   environment is gone (deleting them then would write into a freed environment);
//! - the ids of JavaScript objects kept by reference that no event refers to any more, for the
//!   registry of this environment only (each environment has its own registry and ids).

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, Weak};
use std::thread::ThreadId;

use liveness::events::{self, Capture, WakeSubscription};
use napi::{Env, sys};

use crate::errors::{Result, invalid_argument};

/// A capture or wake subscription shared by its JavaScript object and its environment's teardown.
pub type Shared<T> = Arc<Mutex<Option<T>>>;

/// Locks, ignoring poisoning (nothing here is left half-changed by a panic).
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

#[derive(Default)]
struct State {
    /// Handler ids attached from this environment, each with a token its handler holds: while the
    /// token lives, the handler under that id is still ours (not one attached later by another).
    handlers: Vec<(String, Weak<()>)>,
    captures: Vec<Weak<Mutex<Option<Capture>>>>,
    wakes: Vec<Weak<Mutex<Option<WakeSubscription>>>>,
    /// Values (napi references) dropped on another thread, deleted on the home thread.
    graves: Vec<Box<dyn Send>>,
    /// How many core values refer to each host-object id (by its bits) of this environment.
    held: HashMap<u64, usize>,
    /// Host-object ids the registry of this environment may forget.
    released: Vec<f64>,
}

/// One napi environment (the main thread's or a Worker's).
pub struct Home {
    env: usize,
    thread: ThreadId,
    alive: AtomicBool,
    /// Set when teardown begins: Node may already be closing this environment's threadsafe
    /// functions, and releasing one then fails (napi-rs panics on that, which aborts the process).
    tearing_down: AtomicBool,
    graves: AtomicBool,
    state: Mutex<State>,
}

thread_local! {
    /// The live environments of this thread (one, in practice: a Worker runs on its own thread).
    static HOMES: RefCell<Vec<Arc<Home>>> = const { RefCell::new(Vec::new()) };
}

/// Drops entries whose object is gone once the list has doubled since the last sweep.
fn prune<T>(list: &mut Vec<T>, live: impl Fn(&T) -> bool) {
    if list.len() >= 64 && list.len().is_power_of_two() {
        list.retain(live);
    }
}

impl Home {
    /// The environment of a napi call in progress on this thread; registers its cleanup hook the
    /// first time, and deletes the references other threads left for it.
    pub fn of(env: &Env) -> Result<Arc<Home>> {
        let raw = env.raw() as usize;
        let found = HOMES.with(|h| h.borrow().iter().find(|home| home.env == raw).cloned());
        let home = match found {
            Some(home) => home,
            None => {
                let home = Arc::new(Home {
                    env: raw,
                    thread: std::thread::current().id(),
                    alive: AtomicBool::new(true),
                    tearing_down: AtomicBool::new(false),
                    graves: AtomicBool::new(false),
                    state: Mutex::new(State::default()),
                });
                env.add_env_cleanup_hook(home.clone(), |home| home.teardown())
                    .map_err(|e| invalid_argument(format!("cannot register the environment's cleanup: {e}")))?;
                HOMES.with(|h| h.borrow_mut().push(home.clone()));
                home
            }
        };
        home.bury_pending();
        Ok(home)
    }

    /// Whether `env` (of a napi call on the current thread) is this live environment.
    pub fn is(&self, env: sys::napi_env) -> bool {
        self.env == env as usize && self.alive.load(Ordering::Acquire)
    }

    fn at_home(&self) -> bool {
        std::thread::current().id() == self.thread && self.alive.load(Ordering::Acquire)
    }

    /// Drops `value` (a napi reference of this environment) on its own thread: now when this is
    /// that thread, else at the home thread's next call; leaked once the environment is gone.
    pub fn release<T: Send + 'static>(&self, value: T) {
        if self.at_home() {
            drop(value);
            return;
        }
        let mut state = lock(&self.state);
        if self.alive.load(Ordering::Acquire) {
            state.graves.push(Box::new(value));
            self.graves.store(true, Ordering::Release);
        } else {
            // Its environment was torn down: deleting the reference now would touch freed memory.
            std::mem::forget(value);
        }
    }

    /// Drops a threadsafe function of this environment where releasing it is sure to succeed:
    /// on its own thread, before teardown. Anywhere else it is leaked (a few bytes; Node closes
    /// the function itself with the environment): released from another thread while the
    /// environment closes, napi answers `InvalidArg` and napi-rs's `Drop` panics (a SIGABRT seen
    /// in 1 of several runs of the `terminateWhileNativeEmits` scenario).
    pub fn release_threadsafe<T>(&self, tsfn: T) {
        if self.at_home() && !self.tearing_down.load(Ordering::Acquire) {
            drop(tsfn);
        } else {
            std::mem::forget(tsfn);
        }
    }

    fn bury_pending(&self) {
        if self.graves.swap(false, Ordering::AcqRel) {
            let graves = std::mem::take(&mut lock(&self.state).graves);
            drop(graves);
        }
    }

    pub fn track_handler(&self, id: &str, token: &Arc<()>) {
        let mut state = lock(&self.state);
        prune(&mut state.handlers, |(_, t)| t.strong_count() > 0);
        state.handlers.push((id.to_owned(), Arc::downgrade(token)));
    }

    pub fn track_capture(&self, capture: &Shared<Capture>) {
        let mut state = lock(&self.state);
        prune(&mut state.captures, |c| c.strong_count() > 0);
        state.captures.push(Arc::downgrade(capture));
    }

    pub fn track_wake(&self, wake: &Shared<WakeSubscription>) {
        let mut state = lock(&self.state);
        prune(&mut state.wakes, |w| w.strong_count() > 0);
        state.wakes.push(Arc::downgrade(wake));
    }

    /// A core value now refers to the host object `id` of this environment.
    pub fn host_held(&self, id: f64) {
        *lock(&self.state).held.entry(id.to_bits()).or_default() += 1;
    }

    /// A core value referring to the host object `id` was dropped; once none is left, the
    /// registry of this environment may forget the object.
    pub fn host_released(&self, id: f64) {
        let mut state = lock(&self.state);
        let std::collections::hash_map::Entry::Occupied(mut held) = state.held.entry(id.to_bits()) else { return };
        *held.get_mut() -= 1;
        if *held.get() == 0 {
            held.remove();
            if self.alive.load(Ordering::Acquire) {
                state.released.push(id);
            }
        }
    }

    pub fn take_released(&self) -> Vec<f64> {
        std::mem::take(&mut lock(&self.state).released)
    }

    /// The environment is being torn down (on its own thread, still valid): detach everything it
    /// attached, delete the references left for it, and refuse any later ones.
    fn teardown(self: Arc<Self>) {
        self.tearing_down.store(true, Ordering::Release);
        let (handlers, captures, wakes) = {
            let mut state = lock(&self.state);
            (std::mem::take(&mut state.handlers), std::mem::take(&mut state.captures), std::mem::take(&mut state.wakes))
        };
        for (id, token) in handlers {
            if token.strong_count() > 0 {
                events::detach(&id);
            }
        }
        for capture in captures.iter().filter_map(Weak::upgrade) {
            lock(&capture).take();
        }
        for wake in wakes.iter().filter_map(Weak::upgrade) {
            lock(&wake).take();
        }
        let graves = {
            let mut state = lock(&self.state);
            self.alive.store(false, Ordering::Release);
            state.released.clear();
            state.held.clear();
            std::mem::take(&mut state.graves)
        };
        drop(graves);
        HOMES.with(|h| h.borrow_mut().retain(|home| !Arc::ptr_eq(home, &self)));
    }
}
