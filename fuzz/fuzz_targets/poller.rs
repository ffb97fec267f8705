//! The sans-IO Poller with arbitrary options and arbitrary step sequences on an arbitrary clock
//! (backwards, huge, repeated): it must never panic, and its reports must always format.
#![no_main]

use std::time::Duration;

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use liveness::policy::Options;
use liveness::poll::{Driver, Failure, Operation, Outcome, Poller, Spelling, Step};

#[derive(Arbitrary, Debug)]
struct Time(u64, u32);

impl Time {
    fn get(&self) -> Duration {
        // Mostly small times (schedules), sometimes anything up to Duration::MAX.
        if self.1 & 1 == 0 {
            Duration::from_micros(self.0 % 10_000_000)
        } else {
            Duration::new(self.0, self.1 % 1_000_000_000)
        }
    }
}

#[derive(Arbitrary, Debug)]
enum Call {
    Next(Time),
    Started(Time),
    Accepted(Time, Option<String>),
    Raised(Time, String, String),
    Returned(Time, String, bool),
    Wake(Time),
    Prepared(Time),
    Abandon(Time),
}

#[derive(Arbitrary, Debug)]
struct Input {
    operation: u8,
    during: Time,
    timeout: Time,
    interval: Option<Time>,
    min_interval: Time,
    max_interval: Time,
    delay: Time,
    attempts: Option<u32>,
    stable_for: Time,
    intervals: Option<Vec<Time>>,
    backoff: Option<f64>,
    at_least: Time,
    late_check: Time,
    forever: bool,
    scale: f64,
    camel: bool,
    event_loop: bool,
    calls: Vec<Call>,
}

fuzz_target!(|input: Input| {
    let operation = match input.operation % 7 {
        6 => Operation::EventuallySettles { quiet: input.during.get() },
        0 => Operation::Eventually,
        1 => Operation::EventuallyPasses,
        2 => Operation::EventuallyChanges,
        3 => Operation::SyncOperation,
        4 => Operation::Always { during: input.during.get() },
        _ => Operation::Never { during: input.during.get() },
    };
    let options = Options {
        timeout: if input.forever { liveness::FOREVER } else { input.timeout.get() },
        interval: input.interval.as_ref().map(Time::get),
        intervals: input.intervals.as_ref().map(|l| l.iter().take(16).map(Time::get).collect()),
        backoff: input.backoff,
        at_least: input.at_least.get(),
        late_check: input.late_check.get(),
        min_interval: input.min_interval.get(),
        max_interval: input.max_interval.get(),
        delay: input.delay.get(),
        attempts: input.attempts,
        message: None,
        stable_for: input.stable_for.get(),
        wake_on: Vec::new(),
        wake_on_path: Vec::new(),
        timeout_scale: if input.scale.is_finite() && input.scale > 0.0 { input.scale } else { 1.0 },
    };
    let spelling = if input.camel { Spelling::Camel } else { Spelling::Snake };
    let driver = if input.event_loop { Driver::EventLoop } else { Driver::Blocking };
    let Ok(mut poller) = Poller::new(operation, &options, spelling, driver) else { return };
    for call in input.calls.iter().take(256) {
        match call {
            Call::Next(t) => {
                if let Step::Done(Err(report)) = poller.next(t.get()) {
                    let _ = report.to_string();
                }
            }
            Call::Started(t) => {
                poller.started(t.get());
            }
            Call::Accepted(t, text) => {
                poller.finished(t.get(), Outcome::Accepted { text: text.clone() });
            }
            Call::Raised(t, kind, text) => {
                poller.finished(t.get(), Outcome::Rejected(Failure::raised(kind.clone(), text.clone())));
            }
            Call::Returned(t, repr, nullish) => {
                poller.finished(t.get(), Outcome::Rejected(Failure::returned(repr.clone(), *nullish)));
            }
            Call::Wake(t) => poller.wake(t.get()),
            Call::Prepared(t) => poller.prepared(t.get()),
            Call::Abandon(t) => {
                let _ = poller.abandon(t.get()).to_string();
            }
        }
    }
});
