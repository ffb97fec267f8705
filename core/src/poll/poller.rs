//! The sans-IO poller: it decides when to evaluate, when to give up and what the failure says,
//! but never sleeps and never calls a probe. Every host drives the same decisions with its own
//! clock and its own way of waiting (ARCHITECTURE.md, "Why a sans-IO poller").

use std::time::Duration;

use super::history::{History, RunOutcome};
use super::operation::{Operation, Spelling};
use super::outcome::{Failure, Outcome};
use super::report::{Report, ReportKind};
use crate::error::Error;
use crate::policy::{Options, scaled};

/// An evaluation that starts at the deadline and ends this far past it is reported as overrun.
const OVERRUN_WORTH_REPORTING: Duration = Duration::from_millis(1);

/// What the host should do now.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// Start an evaluation now (call [`Poller::started`] first, [`Poller::finished`] after).
    Evaluate,
    /// Wait this long (less if a wake hint arrives), then ask again.
    Wait(Duration),
    /// The operation is over: `Ok` means success, `Err` carries the report to raise.
    Done(Result<(), Report>),
}

/// One wait in progress. All times are "elapsed since the call began" on the host's clock.
#[derive(Debug, Clone)]
pub struct Poller {
    operation: Operation,
    spelling: Spelling,
    message: Option<String>,
    interval: Option<Duration>,
    min_interval: Duration,
    max_interval: Duration,
    deadline: Duration,
    first_start: Duration,
    attempts: Option<u32>,
    stable_for: Duration,
    wake_on: Vec<String>,

    evaluations: u32,
    running_since: Option<Duration>,
    last_start: Option<Duration>,
    last_end: Duration,
    last_duration: Duration,
    woken: bool,
    accepted_since: Option<Duration>,
    longest_accepted: Duration,
    every_failure_nullish: bool,
    last_failure: Option<Failure>,
    history: History,
    done: Option<Result<(), Report>>,
}

impl Poller {
    /// Validates the options and starts the clock at zero. The scale comes in `options` (the
    /// door read it); the Poller never looks at the process environment.
    pub fn new(operation: Operation, options: &Options, spelling: Spelling) -> Result<Poller, Error> {
        options.validate()?;
        let scale = options.timeout_scale;
        let horizon = match operation {
            Operation::Always { during } | Operation::Never { during } => during,
            _ => options.timeout,
        };
        let deadline = scaled(horizon, scale);
        Ok(Poller {
            operation,
            spelling,
            message: options.message.clone(),
            interval: options.interval,
            min_interval: options.min_interval,
            max_interval: options.max_interval,
            deadline,
            first_start: scaled(options.delay, scale).min(deadline),
            attempts: options.attempts,
            stable_for: scaled(options.stable_for, scale),
            wake_on: options.wake_on.clone(),
            evaluations: 0,
            running_since: None,
            last_start: None,
            last_end: Duration::ZERO,
            last_duration: Duration::ZERO,
            woken: false,
            accepted_since: None,
            longest_accepted: Duration::ZERO,
            every_failure_nullish: true,
            last_failure: None,
            history: History::default(),
            done: None,
        })
    }

    pub fn operation(&self) -> Operation {
        self.operation
    }

    /// When the deadline falls (for `always`/`never`: the end of `during`), scaled.
    pub fn deadline(&self) -> Duration {
        self.deadline
    }

    pub fn evaluations(&self) -> u32 {
        self.evaluations
    }

    pub fn wake_patterns(&self) -> &[String] {
        &self.wake_on
    }

    /// Whether the host should describe accepted values (only `never` reports them).
    pub fn wants_accepted_text(&self) -> bool {
        matches!(self.operation, Operation::Never { .. })
    }

    /// Decides the next step at time `at`.
    pub fn next(&mut self, at: Duration) -> Step {
        if let Some(done) = &self.done {
            return Step::Done(done.clone());
        }
        if self.running_since.is_some() {
            // Asked while an evaluation is in flight: nothing to decide until it finishes.
            return Step::Wait(Duration::ZERO);
        }
        let Some(last_start) = self.last_start else {
            return self.evaluate_at(self.first_start, at);
        };
        if let Some(ended) = self.ended(last_start) {
            return self.finish(ended);
        }
        if std::mem::take(&mut self.woken) {
            return Step::Evaluate;
        }
        // `stable_for` keeps to the schedule too (SPEC §2): success comes at the first scheduled
        // evaluation that completes the stretch.
        // Saturating: a period or a start near `Duration::MAX` (a host's huge interval) must not
        // overflow; the deadline caps the target anyway.
        let target = last_start.saturating_add(self.period(last_start));
        self.evaluate_at(target.min(self.deadline), at)
    }

    /// An evaluation starts at `at`; returns its 1-based number.
    pub fn started(&mut self, at: Duration) -> u32 {
        self.evaluations += 1;
        self.running_since = Some(at);
        self.last_start = Some(at);
        self.woken = false;
        self.evaluations
    }

    /// The evaluation that started last ended at `at` with this outcome.
    pub fn finished(&mut self, at: Duration, outcome: Outcome) {
        let start = self.running_since.take().unwrap_or(at);
        self.last_end = at;
        self.last_duration = at.saturating_sub(start);
        match outcome {
            Outcome::Accepted { text } => {
                self.history.record(RunOutcome::Accepted, start);
                self.every_failure_nullish = false;
                self.on_accepted(start, text);
            }
            Outcome::Rejected(failure) => {
                if !matches!(failure, Failure::Returned { nullish: true, .. }) {
                    self.every_failure_nullish = false;
                }
                self.history.record(RunOutcome::Failed(failure.clone()), start);
                self.on_rejected(start, failure);
            }
        }
    }

    /// A wake hint arrived. Hints that arrive while an evaluation runs are dropped: the probe's
    /// own emissions must not make it spin, and the evaluation in flight sees the state anyway.
    pub fn wake(&mut self) {
        if self.running_since.is_none() {
            self.woken = true;
        }
    }

    /// Asynchronous hosts: the evaluation in flight is still pending at `at` (the deadline); it is
    /// abandoned and the wait fails with a report saying so.
    pub fn abandon(&mut self, at: Duration) -> Report {
        let since = self.running_since.take().unwrap_or(at);
        let report = self.report(
            ReportKind::StillRunning { evaluation: self.evaluations, running_for: at.saturating_sub(since) },
            at,
        );
        self.done = Some(Err(report.clone()));
        report
    }

    /// The period after the evaluation that started at `last_start` (SPEC §2).
    fn period(&self, last_start: Duration) -> Duration {
        let waited = last_start.saturating_sub(self.first_start);
        crate::policy::period(self.interval, self.min_interval, self.max_interval, self.last_duration, waited)
    }

    fn evaluate_at(&self, target: Duration, at: Duration) -> Step {
        if at >= target { Step::Evaluate } else { Step::Wait(target - at) }
    }

    /// Whether the wait is over before another evaluation, and how.
    fn ended(&self, last_start: Duration) -> Option<Result<(), ReportKind>> {
        let safety = self.operation.is_safety();
        if let Some(limit) = self.attempts {
            if self.evaluations >= limit {
                return Some(if safety { Ok(()) } else { Err(ReportKind::AttemptsExhausted { attempts: limit }) });
            }
        }
        // A host's timer may wake it a little after the deadline: the deadline evaluation still
        // happens then. Only an evaluation that itself ran across the deadline ends the wait.
        let deadline_evaluated = last_start >= self.deadline;
        let overran = self.last_end > self.deadline;
        if !deadline_evaluated && !overran {
            return None;
        }
        if safety {
            return Some(Ok(()));
        }
        // The deadline evaluation itself may overrun too; a timer's few microseconds of lateness
        // are not worth a line in the report, a probe that took a millisecond or more is.
        let deadline_evaluation_overran = deadline_evaluated && self.last_duration >= OVERRUN_WORTH_REPORTING;
        if overran && (!deadline_evaluated || deadline_evaluation_overran) {
            return Some(Err(ReportKind::Overran {
                evaluation: self.evaluations,
                took: self.last_duration,
                past: self.last_end.saturating_sub(self.deadline),
            }));
        }
        let ever_accepted = self.accepted_since.is_some() || self.longest_accepted > Duration::ZERO;
        if self.stable_for > Duration::ZERO && ever_accepted {
            let longest = self.longest_accepted_so_far(last_start);
            return Some(Err(ReportKind::NotStable { stable_for: self.stable_for, longest }));
        }
        Some(Err(ReportKind::NotMet))
    }

    fn longest_accepted_so_far(&self, last_start: Duration) -> Duration {
        let current = self.accepted_since.map_or(Duration::ZERO, |since| last_start.saturating_sub(since));
        self.longest_accepted.max(current)
    }

    fn finish(&mut self, ended: Result<(), ReportKind>) -> Step {
        let result = ended.map_err(|kind| self.report(kind, self.last_end));
        self.done = Some(result.clone());
        Step::Done(result)
    }

    fn on_accepted(&mut self, start: Duration, text: Option<String>) {
        match self.operation {
            Operation::Always { .. } => {}
            Operation::Never { .. } => {
                let held = Failure::returned(text.unwrap_or_else(|| "an accepted value".to_owned()), false);
                self.last_failure = Some(held);
                self.violate(start);
            }
            _ => {
                let since = *self.accepted_since.get_or_insert(start);
                // Saturating: a host clock that went backwards must not panic (the C door rejects
                // such a time before it gets here; the other doors' clocks are monotonic).
                if start.saturating_sub(since) >= self.stable_for {
                    self.done = Some(Ok(()));
                }
            }
        }
    }

    fn on_rejected(&mut self, start: Duration, failure: Failure) {
        if let Some(since) = self.accepted_since.take() {
            self.longest_accepted = self.longest_accepted.max(start.saturating_sub(since));
        }
        match self.operation {
            Operation::Never { .. } => {}
            Operation::Always { .. } => {
                self.last_failure = Some(failure);
                self.violate(start);
            }
            _ => self.last_failure = Some(failure),
        }
    }

    fn violate(&mut self, start: Duration) {
        let kind = ReportKind::Violated { evaluation: self.evaluations, at: start };
        let report = self.report(kind, self.last_end);
        self.done = Some(Err(report));
    }

    fn report(&self, kind: ReportKind, elapsed: Duration) -> Report {
        let (history, omitted_runs) = self.history.runs();
        Report {
            operation: self.operation.name(self.spelling).to_owned(),
            message: self.message.clone(),
            kind,
            elapsed,
            evaluations: self.evaluations,
            last: self.last_failure.clone(),
            history,
            omitted_runs,
            hint: self.hint(),
        }
    }

    fn hint(&self) -> Option<String> {
        let nullish_every_time = self.every_failure_nullish && self.evaluations > 0;
        if !nullish_every_time || self.operation != Operation::Eventually {
            return None;
        }
        let passes = Operation::EventuallyPasses.name(self.spelling);
        Some(format!("the probe returned nothing on every evaluation; if it is a block of assertions, use {passes}"))
    }
}

#[cfg(test)]
mod tests {
    //! The schedule in virtual time: each scripted evaluation takes its duration, waits advance
    //! the clock exactly. The shared vectors in tests/conformance cover the same ground per rule;
    //! these pin the decisions that are easiest to get subtly wrong.

    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    /// Runs a poller over `script` (duration, accepted?); the last entry repeats.
    fn run(op: Operation, options: Options, script: &[(u64, bool)]) -> (Result<(), Report>, Vec<u64>) {
        let mut p = Poller::new(op, &options, Spelling::Snake).unwrap();
        let mut now = Duration::ZERO;
        let mut starts = Vec::new();
        loop {
            match p.next(now) {
                Step::Evaluate => {
                    let (cost, ok) = script[starts.len().min(script.len() - 1)];
                    starts.push(now.as_millis() as u64);
                    p.started(now);
                    now += ms(cost);
                    let outcome = if ok {
                        Outcome::Accepted { text: Some("1".into()) }
                    } else {
                        Outcome::Rejected(Failure::raised("E", "no"))
                    };
                    p.finished(now, outcome);
                }
                Step::Wait(d) => {
                    assert!(d > Duration::ZERO, "a wait of zero would spin");
                    now += d;
                }
                Step::Done(r) => return (r, starts),
            }
        }
    }

    fn opts(timeout: u64) -> Options {
        Options { timeout: ms(timeout), ..Options::default() }
    }

    #[test]
    fn cheap_probe_is_checked_every_millisecond_and_once_at_the_deadline() {
        let o = Options { interval: Some(ms(4)), ..opts(10) };
        let (r, starts) = run(Operation::Eventually, o, &[(0, false)]);
        assert_eq!(starts, vec![0, 4, 8, 10]);
        let report = r.unwrap_err();
        assert_eq!(report.headline(), "eventually: not met after 0.01 s (4 evaluations)");
    }

    #[test]
    fn adaptive_period_spreads_out_a_costly_probe() {
        let (r, starts) = run(Operation::Eventually, opts(200), &[(2, false), (2, false), (2, true)]);
        assert!(r.is_ok());
        assert_eq!(starts, vec![0, 40, 80]);
    }

    #[test]
    fn a_slow_probe_is_re_evaluated_as_soon_as_it_returns() {
        let o = Options { interval: Some(ms(5)), ..opts(100) };
        let (_, starts) = run(Operation::Eventually, o, &[(7, false), (7, true)]);
        assert_eq!(starts, vec![0, 7]);
    }

    #[test]
    fn timeout_zero_still_evaluates_once() {
        let (r, starts) = run(Operation::Eventually, opts(0), &[(0, false)]);
        assert_eq!(starts, vec![0]);
        assert!(r.is_err());
    }

    #[test]
    fn an_evaluation_that_overruns_the_deadline_is_reported() {
        let o = Options { interval: Some(ms(1)), ..opts(10) };
        let (r, starts) = run(Operation::Eventually, o, &[(3, false), (25, false)]);
        assert_eq!(starts, vec![0, 3]);
        let report = r.unwrap_err();
        assert_eq!(report.kind, ReportKind::Overran { evaluation: 2, took: ms(25), past: ms(18) });
        assert!(report.to_string().contains("evaluation #2 took 0.03 s, ending 0.02 s past the deadline"));
    }

    #[test]
    fn stable_for_restarts_on_a_failure_and_returns_after_the_stretch() {
        let o = Options { interval: Some(ms(10)), stable_for: ms(20), ..opts(1000) };
        let script = [(0, true), (0, false), (0, true), (0, true), (0, true)];
        let (r, starts) = run(Operation::Eventually, o, &script);
        assert!(r.is_ok());
        assert_eq!(starts, vec![0, 10, 20, 30, 40]);
    }

    #[test]
    fn always_fails_at_the_first_rejection_and_never_at_the_first_acceptance() {
        let o = Options { interval: Some(ms(10)), ..Options::default() };
        let (r, starts) = run(Operation::Always { during: ms(100) }, o.clone(), &[(0, true), (0, true), (0, false)]);
        assert_eq!(starts, vec![0, 10, 20]);
        assert!(r.unwrap_err().headline().starts_with("always: violated at evaluation #3"));
        let (r, starts) = run(Operation::Always { during: ms(25) }, o.clone(), &[(0, true)]);
        assert_eq!(starts, vec![0, 10, 20, 25]);
        assert!(r.is_ok());
        let (r, _) = run(Operation::Never { during: ms(100) }, o, &[(0, false), (0, true)]);
        let report = r.unwrap_err();
        assert!(report.headline().starts_with("never: held at evaluation #2"), "{report}");
        assert_eq!(report.last, Some(Failure::returned("1", false)));
    }

    #[test]
    fn wake_hints_cut_a_wait_short_but_not_during_an_evaluation() {
        let o = Options { interval: Some(ms(1000)), ..opts(5000) };
        let mut p = Poller::new(Operation::Eventually, &o, Spelling::Snake).unwrap();
        assert_eq!(p.next(ms(0)), Step::Evaluate);
        p.started(ms(0));
        p.wake(); // the probe's own emission: ignored
        p.finished(ms(0), Outcome::Rejected(Failure::raised("E", "")));
        assert_eq!(p.next(ms(0)), Step::Wait(ms(1000)));
        p.wake();
        assert_eq!(p.next(ms(3)), Step::Evaluate);
    }

    #[test]
    fn a_probe_returning_nothing_every_time_gets_a_hint() {
        let mut p = Poller::new(Operation::Eventually, &opts(0), Spelling::Camel).unwrap();
        p.next(ms(0));
        p.started(ms(0));
        p.finished(ms(0), Outcome::Rejected(Failure::returned("undefined", true)));
        let Step::Done(Err(report)) = p.next(ms(0)) else { panic!("expected a timeout") };
        assert!(report.to_string().contains("hint: the probe returned nothing on every evaluation"));
        assert!(report.to_string().contains("eventuallyPasses"));
    }

    #[test]
    fn abandoning_a_pending_evaluation_reports_it_still_running() {
        let mut p = Poller::new(Operation::Eventually, &opts(100), Spelling::Snake).unwrap();
        p.next(ms(0));
        p.started(ms(30));
        let report = p.abandon(ms(100));
        assert!(report.to_string().contains("evaluation #1 still running after 0.07 s"), "{report}");
        assert!(matches!(p.next(ms(200)), Step::Done(Err(_))));
    }

    #[test]
    fn a_clock_that_goes_backwards_or_huge_times_never_panic() {
        // started(100), accepted(100), started(50), accepted(50): `start - since` underflowed.
        let mut p =
            Poller::new(Operation::Eventually, &Options { stable_for: ms(10), ..opts(1000) }, Spelling::Snake).unwrap();
        p.started(ms(100));
        p.finished(ms(100), Outcome::Accepted { text: None });
        p.started(ms(50));
        p.finished(ms(50), Outcome::Accepted { text: None });
        p.started(ms(40));
        p.finished(ms(40), Outcome::Rejected(Failure::raised("E", "no")));
        let _ = p.next(ms(30));
        // interval = timeout near Duration::MAX: `last_start + period` overflowed.
        let huge = Duration::from_secs(u64::MAX - 1);
        let o = Options { interval: Some(huge), timeout: huge, ..Options::default() };
        let mut p = Poller::new(Operation::Eventually, &o, Spelling::Snake).unwrap();
        assert_eq!(p.next(huge), Step::Evaluate);
        p.started(Duration::from_secs(10));
        p.finished(Duration::from_secs(10), Outcome::Rejected(Failure::raised("E", "no")));
        assert!(matches!(p.next(Duration::from_secs(10)), Step::Wait(_)));
    }
}
