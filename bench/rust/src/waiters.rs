//! The ways a Rust test can wait for a condition: liveness, and the hand-written `nanosleep`
//! loops people write instead (Rust has no widely used polling crate for tests); and the floor,
//! a push waiter on a condition variable that the system under test notifies.

use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

use liveness::eventually;

#[derive(Clone, Copy, PartialEq, Debug)]
pub enum Waiter {
    Liveness,
    /// liveness with `wake_on`: the system under test emits an event when it changes state.
    WakeHint,
    /// `while !p() { sleep(period) }` with a deadline check.
    HandLoop(Duration),
    /// The floor: no polling at all, a Mutex + Condvar wait that the system under test notifies
    /// (`notify_push`) right after the condition flips. Only a system written to be waited for
    /// offers that; it is the physical limit the others are measured against.
    Push,
}

/// The floor's label (bench/README.md): one name in every harness.
pub const PUSH_LABEL: &str = "floor (push waiter)";

/// The push waiter's condition variable, with a count of notifications so that a wait
/// re-evaluates its probe after every one (a notification is a hint, the probe decides).
static PUSH: (Mutex<u64>, Condvar) = (Mutex::new(0), Condvar::new());

/// What a system under test calls right after it changes state: wakes every push waiter.
pub fn notify_push() {
    *PUSH.0.lock().unwrap() += 1;
    PUSH.1.notify_all();
}

/// The push waiter: the probe is evaluated under the lock, so a notification that comes after a
/// false evaluation always ends the `wait_timeout` that follows it (no lost wake-up).
fn push_wait(mut probe: impl FnMut() -> bool, timeout: Duration) -> bool {
    let deadline = Instant::now() + timeout;
    let mut guard = PUSH.0.lock().unwrap();
    loop {
        if probe() {
            return true;
        }
        let now = Instant::now();
        if now >= deadline {
            return false;
        }
        guard = PUSH.1.wait_timeout(guard, deadline - now).unwrap().0;
    }
}

pub const WAKE_EVENT: &str = "bench.ready";

/// The waiters of the overshoot scenario; its setter emits the wake hint's event and notifies
/// the push waiter right after it flips the condition.
pub const ALL: [Waiter; 5] = [
    Waiter::Liveness,
    Waiter::WakeHint,
    Waiter::HandLoop(Duration::from_millis(1)),
    Waiter::HandLoop(Duration::from_millis(10)),
    Waiter::Push,
];

/// The CPU scenario's waiters: the wake hint names an event nobody emits during the wait, which
/// is what a hint costs while the system under test is still busy.
pub const CPU: [Waiter; 5] = ALL;

/// The suite's waiters: its system under test emits no event (the push waiter is notified by
/// the suite's own twin of the singleton, see suite.rs).
pub const SUITE: [Waiter; 4] = [
    Waiter::Liveness,
    Waiter::HandLoop(Duration::from_millis(1)),
    Waiter::HandLoop(Duration::from_millis(10)),
    Waiter::Push,
];

impl Waiter {
    pub fn label(self) -> String {
        match self {
            Waiter::Liveness => "liveness".into(),
            Waiter::WakeHint => "liveness + wake hint".into(),
            Waiter::HandLoop(d) => format!("hand loop {} ms", d.as_millis()),
            Waiter::Push => PUSH_LABEL.into(),
        }
    }

    /// Waits until `probe` holds or `timeout` passes; true when it held.
    pub fn wait_until(self, mut probe: impl FnMut() -> bool, timeout: Duration) -> bool {
        match self {
            Waiter::Push => push_wait(probe, timeout),
            Waiter::Liveness => eventually(probe).timeout(timeout).run().is_ok(),
            Waiter::WakeHint => eventually(probe).timeout(timeout).wake_on(WAKE_EVENT).run().is_ok(),
            Waiter::HandLoop(period) => {
                let deadline = Instant::now() + timeout;
                loop {
                    if probe() {
                        return true;
                    }
                    if Instant::now() >= deadline {
                        return false;
                    }
                    std::thread::sleep(period);
                }
            }
        }
    }
}

/// The `libraries` entry of the results file: what each label stands for.
pub fn describe() -> serde_json::Value {
    serde_json::json!({
        "liveness": {"version": env!("CARGO_PKG_VERSION"), "settings": "defaults: adaptive period (20 × probe cost, 1–50 ms)"},
        "liveness + wake hint": {"version": env!("CARGO_PKG_VERSION"), "settings": "defaults + wake_on(\"bench.ready\"), emitted by the system under test right after the flip (overshoot); in cpu nothing emits it during the wait"},
        "liveness + wake_on_path": {"version": env!("CARGO_PKG_VERSION"), "settings": "delayed_write only: defaults + wake_on_path(<the result file>) (its directory is watched until the file exists)"},
        "floor (push waiter)": {"version": "-", "settings": "Mutex + Condvar: the probe under the lock, wait_timeout until the system under test notifies (overshoot: the setter right after the flip; suite: the singleton's shutdown thread right after it frees the name; cpu: nobody)"},
        "hand loop 1 ms": {"version": "-", "settings": "while !p() { thread::sleep(1 ms) } with a deadline check (concurrency on tokio: tokio::time::sleep)"},
        "hand loop 10 ms": {"version": "-", "settings": "while !p() { thread::sleep(10 ms) } with a deadline check"},
        "hand loop 50 ms": {"version": "-", "settings": "concurrency only: while !p() { sleep(50 ms) } with a deadline check (thread::sleep on threads, tokio::time::sleep on tokio)"},
        "hand loop": {"version": "-", "settings": "interval 0: while !p() {} with a deadline check"},
        "sleep 50 ms": {"version": "-", "settings": "thread::sleep(50 ms), then start once"},
        "liveness, pre-validated name": {"version": env!("CARGO_PKG_VERSION"), "settings": "EventName::new once, then name.emit()"},
        "atomic load": {"version": "-", "settings": "one Acquire load: the floor of a 'nothing attached' check"},
        "callback list": {"version": "-", "settings": "RwLock<Vec<Box<dyn Fn(&Event)>>>: the usual hand-rolled observer list"}
    })
}
