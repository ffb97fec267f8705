//! Seed 000's circuit breaker: failures are recorded fire-and-forget (a message to a worker
//! thread), and after `threshold` of them the breaker opens and emits `breaker.state_change`.
//! State change and event happen under one lock, so a caller who sees the new state knows the
//! event was emitted: the contract that makes `assert_emitted` after `sync_operation` sound.

use std::sync::mpsc::{Sender, channel};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Closed,
    Open,
}

impl State {
    fn name(self) -> &'static str {
        match self {
            State::Closed => "closed",
            State::Open => "open",
        }
    }
}

struct Inner {
    state: State,
    failures: u32,
}

/// A breaker whose worker processes each failure after `latency`.
pub struct CircuitBreaker {
    name: String,
    inner: Arc<Mutex<Inner>>,
    mailbox: Sender<()>,
}

impl CircuitBreaker {
    /// `name` goes into every event's metadata, so that tests running in parallel in one process
    /// can tell their breaker's events from another's.
    pub fn start(name: &str, threshold: u32, latency: Duration) -> CircuitBreaker {
        let name = name.to_owned();
        let inner = Arc::new(Mutex::new(Inner { state: State::Closed, failures: 0 }));
        let (mailbox, inbox) = channel::<()>();
        let worker = inner.clone();
        let name_for_worker = name.clone();
        thread::spawn(move || {
            for () in inbox {
                thread::sleep(latency); // the worker's processing time: the behaviour under test
                let mut s = worker.lock().unwrap();
                s.failures += 1;
                if s.failures >= threshold && s.state == State::Closed {
                    s.state = State::Open;
                    liveness::events::event("breaker.state_change")
                        .measure("failures", f64::from(s.failures))
                        .meta("breaker", name_for_worker.as_str())
                        .meta("from", State::Closed.name())
                        .meta("to", State::Open.name())
                        .emit();
                }
            }
        });
        CircuitBreaker { name: name.clone(), inner, mailbox }
    }

    /// Fire-and-forget, like a GenServer cast.
    pub fn fail(&self) {
        let _ = self.mailbox.send(());
    }

    /// Failures processed so far (the state a test can poll for).
    pub fn failure_count(&self) -> u32 {
        self.inner.lock().unwrap().failures
    }

    pub fn status(&self) -> State {
        self.inner.lock().unwrap().state
    }

    /// A synchronous call through the breaker; emits `breaker.call_success` when it ran.
    pub fn call<T>(&self, f: impl FnOnce() -> T) -> Result<T, State> {
        if self.status() == State::Open {
            liveness::events::event("breaker.call_rejected").meta("breaker", self.name.as_str()).emit();
            return Err(State::Open);
        }
        let value = f();
        liveness::events::event("breaker.call_success").meta("breaker", self.name.as_str()).emit();
        Ok(value)
    }
}
