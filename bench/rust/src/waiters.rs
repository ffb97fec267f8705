//! The ways a Rust test can wait for a condition: liveness, and the hand-written `nanosleep`
//! loops people write instead (Rust has no widely used polling crate for tests).

use std::time::{Duration, Instant};

use liveness::eventually;

#[derive(Clone, Copy, PartialEq, Debug)]
pub enum Waiter {
    Liveness,
    /// liveness with `wake_on`: the system under test emits an event when it changes state.
    WakeHint,
    /// `while !p() { sleep(period) }` with a deadline check.
    HandLoop(Duration),
}

pub const WAKE_EVENT: &str = "bench.ready";

/// The waiters of the overshoot scenario (the others leave the wake hint out: it needs the
/// system under test to emit, which only the overshoot setter does).
pub const ALL: [Waiter; 4] = [
    Waiter::Liveness,
    Waiter::WakeHint,
    Waiter::HandLoop(Duration::from_millis(1)),
    Waiter::HandLoop(Duration::from_millis(10)),
];

pub const WITHOUT_HINT: [Waiter; 3] =
    [Waiter::Liveness, Waiter::HandLoop(Duration::from_millis(1)), Waiter::HandLoop(Duration::from_millis(10))];

impl Waiter {
    pub fn label(self) -> String {
        match self {
            Waiter::Liveness => "liveness".into(),
            Waiter::WakeHint => "liveness + wake hint".into(),
            Waiter::HandLoop(d) => format!("hand loop {} ms", d.as_millis()),
        }
    }

    /// Waits until `probe` holds or `timeout` passes; true when it held.
    pub fn wait_until(self, mut probe: impl FnMut() -> bool, timeout: Duration) -> bool {
        match self {
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
        "liveness + wake hint": {"version": env!("CARGO_PKG_VERSION"), "settings": "defaults + wake_on(\"bench.ready\"), emitted by the system under test"},
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
