//! The GIL gate: keeps interpreter shutdown from unwinding through Rust frames.
//!
//! While CPython finalises, a daemon thread that tries to take the GIL is ended with
//! `pthread_exit` (3.11–3.13). That forced unwind cannot pass a Rust `catch_unwind` frame (the
//! bus has one around every handler, pyo3's trampolines have one around every call from Python),
//! and Rust aborts the process: exit code 134 after a green test run. So the binding never lets a
//! thread (re)take the GIL, or run Python code, from Rust once shutdown began:
//!
//! - Every place where that may happen is a *section*: a call from Python that may run Python code
//!   ([`enter`]), the return from a [`detach`], a call of Python from the bus ([`attach`]). A
//!   section counts itself in [`IN_FLIGHT`] and looks at [`CLOSING`].
//! - `liveness` registers [`close`] with `atexit`, which CPython runs after joining the non-daemon
//!   threads and before it starts finalising. `close` sets `CLOSING`, then waits (GIL released,
//!   at most [`CLOSE_GRACE`]) until no thread is inside a section.
//! - A thread other than the closing one that reaches a section after that parks for good, with
//!   the GIL released (what CPython 3.14 itself does with such threads): the process is exiting.
//!
//! The one case left: a thread still inside a section after the grace (a probe or handler that
//! runs Python code for more than `CLOSE_GRACE` while the interpreter exits).

use std::cell::Cell;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

use pyo3::prelude::*;

/// Threads' sections that are open and not detached, over all threads.
static IN_FLIGHT: AtomicUsize = AtomicUsize::new(0);
/// Set by [`close`]: the interpreter is about to finalise.
static CLOSING: AtomicBool = AtomicBool::new(false);
/// How long [`close`] waits for the sections in flight to end.
const CLOSE_GRACE: Duration = Duration::from_secs(2);

thread_local! {
    /// The sections this thread is inside that count in `IN_FLIGHT` now (0 while detached).
    static DEPTH: Cell<usize> = const { Cell::new(0) };
    /// Whether this thread holds the GIL in a section (so parking must release it).
    static HOLDS_GIL: Cell<bool> = const { Cell::new(false) };
    /// The thread that called `close`: it goes on (it is the one finalising).
    static CLOSER: Cell<bool> = const { Cell::new(false) };
    /// Whether this thread holds the [`TURN`] of re-taking the GIL after a pause.
    static HOLDS_TURN: Cell<bool> = const { Cell::new(false) };
}

/// Whose turn it is to re-take the GIL after a synchronous wait's pause (`true`: a thread's).
///
/// CPython's GIL is not a queue: each thread waiting for it wakes every switch interval (5 ms)
/// and asks the holder to drop it. Hundreds of waits' threads coming back from their pauses at
/// once, on a loaded machine, then spend both cores waking each other and handing the GIL round
/// unfairly (a 1 s wait among 400 ended 3 s late). Through this turnstile at most one of them
/// waits for the GIL at a time; the others sleep on a condition variable until it has it.
static TURN: Mutex<bool> = Mutex::new(false);
static TURN_FREE: Condvar = Condvar::new();

fn take_turn() {
    let mut busy = TURN.lock().unwrap_or_else(|e| e.into_inner());
    while *busy {
        busy = TURN_FREE.wait(busy).unwrap_or_else(|e| e.into_inner());
    }
    *busy = true;
    HOLDS_TURN.with(|h| h.set(true));
}

fn give_turn() {
    if HOLDS_TURN.with(|h| h.replace(false)) {
        *TURN.lock().unwrap_or_else(|e| e.into_inner()) = false;
        TURN_FREE.notify_one();
    }
}

/// An open section; closed when dropped.
pub struct Section {
    held_before: bool,
    /// Not `Send`: a section belongs to its thread.
    _thread: std::marker::PhantomData<*const ()>,
}

impl Drop for Section {
    fn drop(&mut self) {
        DEPTH.with(|d| d.set(d.get() - 1));
        HOLDS_GIL.with(|h| h.set(self.held_before));
        IN_FLIGHT.fetch_sub(1, Ordering::SeqCst);
    }
}

fn open(holds_gil: bool) -> Section {
    IN_FLIGHT.fetch_add(1, Ordering::SeqCst);
    DEPTH.with(|d| d.set(d.get() + 1));
    let held_before = HOLDS_GIL.with(|h| h.replace(holds_gil));
    if CLOSING.load(Ordering::SeqCst) && !CLOSER.with(Cell::get) {
        park_forever();
    }
    Section { held_before, _thread: std::marker::PhantomData }
}

/// A section for a call from Python (the GIL is held) that may run Python code.
pub fn enter(_py: Python<'_>) -> Section {
    open(true)
}

/// `Python::attach` from the bus (any thread, GIL held or not), as a section.
pub fn attach<R>(f: impl for<'py> FnOnce(Python<'py>) -> R) -> R {
    let holds = HOLDS_GIL.with(Cell::get);
    let _section = open(holds);
    Python::attach(|py| {
        HOLDS_GIL.with(|h| h.set(true));
        f(py)
    })
}

/// `py.detach(f)`; the return (re-taking the GIL) is a section's re-entry.
///
/// While detached this thread counts no section (`DEPTH` 0), so that an [`attach`] or
/// [`reattach`] inside `f` counts only its own.
pub fn detach<T: Send>(py: Python<'_>, f: impl FnOnce() -> T + Send) -> T {
    let depth = DEPTH.with(|d| d.replace(0));
    let holds = HOLDS_GIL.with(|h| h.replace(false));
    IN_FLIGHT.fetch_sub(depth, Ordering::SeqCst);
    let out = py.detach(|| {
        let out = f();
        IN_FLIGHT.fetch_add(depth, Ordering::SeqCst);
        DEPTH.with(|d| d.set(depth));
        if CLOSING.load(Ordering::SeqCst) && !CLOSER.with(Cell::get) {
            park_forever();
        }
        out
    });
    HOLDS_GIL.with(|h| h.set(holds));
    out
}

/// A synchronous wait's pause: `f` runs detached, as in [`detach`], and the GIL is re-taken in
/// turn with the other pauses ending (see [`TURN`]).
pub fn pause<T: Send>(py: Python<'_>, f: impl FnOnce() -> T + Send) -> T {
    let out = detach(py, || {
        let out = f();
        take_turn();
        out
    });
    give_turn();
    out
}

/// Inside a [`detach`]: re-takes the GIL to run `f` (a synchronous wait's evaluation after a
/// pause), in turn with the other waits' threads (see [`TURN`]), as a section.
pub fn reattach<R>(f: impl for<'py> FnOnce(Python<'py>) -> R) -> R {
    take_turn();
    attach(|py| {
        give_turn();
        f(py)
    })
}

/// Leaves every section of this thread and parks it for good, without the GIL.
fn park_forever() -> ! {
    give_turn();
    let depth = DEPTH.with(|d| d.replace(0));
    IN_FLIGHT.fetch_sub(depth, Ordering::SeqCst);
    if HOLDS_GIL.with(Cell::get) {
        // SAFETY: this thread holds the GIL (it is inside a section that does), and never takes
        // it back: the thread state is left as CPython's own finalisation expects of a thread
        // that waits for the GIL.
        unsafe {
            pyo3::ffi::PyEval_SaveThread();
        }
    }
    loop {
        std::thread::park();
    }
}

/// Registered with `atexit` by the package: from now on, threads other than this one park at
/// their next section; waits (GIL released, at most 2 s) until no thread is inside one. Returns
/// whether they all left in time.
#[pyfunction]
pub fn _close_gate(py: Python<'_>) -> bool {
    CLOSER.with(|c| c.set(true));
    CLOSING.store(true, Ordering::SeqCst);
    py.detach(|| {
        let until = Instant::now() + CLOSE_GRACE;
        while IN_FLIGHT.load(Ordering::SeqCst) != 0 {
            if Instant::now() >= until {
                return false;
            }
            std::thread::sleep(Duration::from_millis(1));
        }
        true
    })
}
