//! The sans-IO poller: it decides when to evaluate, when to give up and what the failure says,
//! but never sleeps and never calls a probe. Every driver executes the same decisions with its own
//! clock and its own way of waiting (ARCHITECTURE.md, "Why a sans-IO poller").

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use super::budget::{Budget, Share};
use super::history::History;
use super::operation::{Operation, Spelling};
use super::outcome::{Failure, Outcome};
use super::report::{Late, Report, ReportKind};
use crate::error::Error;
use crate::events::WakeSubscription;
use crate::policy::{FOREVER, Options, Schedule, scaled};

/// An evaluation that ends this far past the deadline is reported as overrun: the smallest time
/// a report shows as more than "0.00 s" (a line saying "took 0.00 s, ending 0.00 s past the
/// deadline" tells a reader nothing).
const OVERRUN_WORTH_REPORTING: Duration = Duration::from_millis(10);

/// How a driver waits. It decides one rule: whether the driver must let its event loop run
/// between two evaluations that follow each other at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Driver {
    /// Parks a thread between evaluations (Rust and C sync, Python sync): nothing else runs on it.
    #[default]
    Blocking,
    /// Shares a thread with other tasks (tokio, asyncio, trio, Node): it yields between evaluations.
    EventLoop,
}

/// What the driver should do now. Every rule of the wait is in the step; the driver only
/// executes it with its own clock, its own way of waiting and its own way of calling the probe.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// Run the preparation now (`sync_operation`'s action, `eventually_changes`' baseline): call
    /// [`Poller::started`], run it, then [`Poller::prepared`]; an error of it propagates as
    /// itself. With `abandon_at`, a preparation still pending then (only an asynchronous one can
    /// be) is given up: call [`Poller::abandon`] at that time.
    Prepare { abandon_at: Option<Duration> },
    /// Start an evaluation now: [`Poller::started`], evaluate, [`Poller::finished`]. With
    /// `abandon_at` (the deadline), an asynchronous evaluation still pending then is given up and
    /// never resumed: call [`Poller::abandon`] at that time. Without it (the evaluation that
    /// starts at the deadline is the last one), it is let finish.
    Evaluate { abandon_at: Option<Duration> },
    /// Let the event loop run once (a zero-delay timer, `yield_now`, `sleep(0)`), then ask again.
    /// Only [`Driver::EventLoop`] gets it: two evaluations back to back must not hold the loop.
    Yield,
    /// Wait this long (less if a wake hint arrives: [`Poller::wake`]), then ask again.
    Wait(Duration),
    /// The operation is over: `Ok` means success, `Err` carries the report to raise (boxed, so
    /// that every other step, returned once per evaluation and per wait, stays small).
    Done(Result<(), Box<Report>>),
}

/// One evaluation that returned, as [`Poller::finished`] counted it: what a binding's
/// `on_evaluation` hook receives, beside the value or error the binding kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Evaluated {
    /// 1-based.
    pub number: u32,
    /// When it started, since the call began.
    pub started: Duration,
    pub duration: Duration,
    /// Whether the operation's acceptance took it (for `eventually_settles`: equal to the
    /// previous value).
    pub accepted: bool,
}

/// The late check in progress: the wait timed out (not met), its report is frozen, and the Poller
/// goes on evaluating on the schedule until `until` or the first acceptance.
#[derive(Debug, Clone)]
struct LateCheck {
    until: Duration,
    report: Report,
    /// Evaluations made by the deadline.
    evaluations: u32,
    /// The first accepted late evaluation: its start and number.
    met: Option<(Duration, u32)>,
}

/// Where the preparation of `sync_operation` / `eventually_changes` stands.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Preparation {
    /// The operation has none, or it completed.
    Done,
    Pending,
    Running {
        since: Duration,
    },
}

/// One wait in progress. All times are "elapsed since the call began" on the driver's clock.
#[derive(Debug, Clone)]
pub struct Poller {
    operation: Operation,
    spelling: Spelling,
    message: Option<String>,
    schedule: Schedule,
    deadline: Duration,
    first_start: Duration,
    attempts: Option<u32>,
    /// `stable_for`, or `eventually_settles`' `quiet`: how long the accepted stretch must last.
    stable_for: Duration,
    at_least: Duration,
    /// How long the late check may look past the deadline (0: none).
    late_check: Duration,
    /// Boxed, like `done`'s report: both are cold (set once, at the end), and inline they would
    /// spread the fields every step reads over twice as many cache lines (issue 19: thousands of
    /// waits at once, each step a cache miss per line).
    late: Option<Box<LateCheck>>,
    wake_on: Vec<String>,
    wake_on_path: Vec<PathBuf>,
    driver: Driver,
    /// This wait's share of its clock's polling budget; only the default schedule has one (an
    /// explicit `interval`, `intervals` or `backoff` is kept as is, and a wake source's fallback
    /// period is already `max_interval`).
    share: Option<Share>,

    preparation: Preparation,
    evaluations: u32,
    running_since: Option<Duration>,
    last_start: Option<Duration>,
    last_end: Duration,
    last_duration: Duration,
    /// A wake hint arrived between evaluations: the next one starts at once.
    woken: bool,
    /// A wake hint arrived while the evaluation in flight ran: one more evaluation follows at once.
    hinted_during: bool,
    /// The next evaluation answers a hint that arrived during the previous one.
    next_answers_hint_during: bool,
    /// The evaluation in flight (or the last one) answers a hint that arrived during the one
    /// before: a hint during it earns no further evaluation, so a probe whose own emissions
    /// match `wake_on` re-evaluates at most twice per period instead of spinning.
    answering_hint_during: bool,
    /// An event-loop driver waited or yielded since the last evaluation ended.
    turned: bool,
    accepted_since: Option<Duration>,
    longest_accepted: Duration,
    every_failure_nullish: bool,
    /// Evaluations that returned (an abandoned one never did).
    finished_evaluations: u32,
    last_failure: Option<Failure>,
    history: History,
    done: Option<Result<(), Box<Report>>>,
}

impl Poller {
    /// Validates the options (errors name them in `spelling`) and starts the clock at zero. The
    /// scale comes in `options` (the binding read it); the Poller never looks at the environment.
    pub fn new(operation: Operation, options: &Options, spelling: Spelling, driver: Driver) -> Result<Poller, Error> {
        options.validate_for(spelling)?;
        let (horizon_name, horizon) = operation.horizon(options.timeout);
        options.validate_against(horizon_name, horizon, spelling)?;
        let name = |snake: &str| spelling.option(snake);
        if operation.is_safety() && !options.at_least.is_zero() {
            return Err(Error::invalid_option(
                &name("at_least"),
                format!(
                    "{} bounds a wait for a condition; always and never check one for a duration",
                    name("at_least")
                ),
            ));
        }
        let mut stable_for = options.stable_for;
        if let Operation::EventuallySettles { quiet } = operation {
            if !options.stable_for.is_zero() {
                return Err(Error::invalid_option(
                    &name("stable_for"),
                    format!(
                        "{} waits for a stable value: its period of quiet is `{}`",
                        operation.name(spelling),
                        name("quiet")
                    ),
                ));
            }
            if quiet > horizon {
                let why = format!(
                    "{} ({quiet:?}) is longer than {} ({horizon:?}): the value could never settle in time",
                    name("quiet"),
                    name("timeout")
                );
                return Err(Error::invalid_option(&name("quiet"), why));
            }
            stable_for = quiet;
        }
        let scale = options.timeout_scale;
        let deadline = scaled(horizon, scale);
        let schedule = options.schedule();
        Ok(Poller {
            operation,
            spelling,
            message: options.message.clone(),
            share: matches!(schedule, Schedule::Adaptive { .. }).then(|| Share::new(Budget::process())),
            schedule,
            deadline,
            first_start: scaled(options.delay, scale).min(deadline),
            attempts: options.attempts,
            stable_for: scaled(stable_for, scale),
            at_least: options.at_least,
            // Only waits for a condition have a "met late"; no deadline, no late check.
            late_check: match operation {
                _ if operation.is_safety() || deadline == FOREVER => Duration::ZERO,
                Operation::EventuallySettles { .. } => Duration::ZERO,
                _ => scaled(options.late_check, scale).min(deadline),
            },
            late: None,
            wake_on: options.wake_on.clone(),
            wake_on_path: options.wake_on_path.clone(),
            driver,
            preparation: if operation.prepares() { Preparation::Pending } else { Preparation::Done },
            evaluations: 0,
            running_since: None,
            last_start: None,
            last_end: Duration::ZERO,
            last_duration: Duration::ZERO,
            woken: false,
            hinted_during: false,
            next_answers_hint_during: false,
            answering_hint_during: false,
            turned: true,
            accepted_since: None,
            longest_accepted: Duration::ZERO,
            every_failure_nullish: true,
            finished_evaluations: 0,
            last_failure: None,
            history: History::default(),
            done: None,
        })
    }

    pub fn operation(&self) -> Operation {
        self.operation
    }

    /// Counts this wait in `budget` instead of the process's: a driver on a virtual clock gives
    /// the clock's own, so that virtual time neither slows real waits nor is slowed by them.
    /// Call it before the first evaluation.
    pub fn set_budget(&mut self, budget: Arc<Budget>) {
        if let Some(share) = &mut self.share {
            *share = Share::new(budget);
        }
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

    /// The paths whose change is a wake hint (`wake_on_path`, validated).
    pub fn wake_paths(&self) -> &[PathBuf] {
        &self.wake_on_path
    }

    /// Whether anything can wake this wait early: a driver subscribes only then.
    pub fn has_wake_source(&self) -> bool {
        !self.wake_on.is_empty() || !self.wake_on_path.is_empty()
    }

    /// Subscribes `on_wake` to every wake source of this wait (see [`WakeSubscription`]); `None`
    /// when it has none.
    pub fn subscribe_wakes(
        &self,
        on_wake: impl Fn() + Send + Sync + 'static,
    ) -> Result<Option<WakeSubscription>, Error> {
        if !self.has_wake_source() {
            return Ok(None);
        }
        let option = self.spelling.option("wake_on_path");
        WakeSubscription::for_sources(&self.wake_on, &self.wake_on_path, &option, on_wake).map(Some)
    }

    /// Whether the binding should describe accepted values: `never` and a wait with `at_least`
    /// report the value that held, `eventually_settles` the values it saw.
    pub fn wants_accepted_text(&self) -> bool {
        matches!(self.operation, Operation::Never { .. } | Operation::EventuallySettles { .. })
            || !self.at_least.is_zero()
    }

    /// Decides the next step at time `at`.
    #[inline(always)]
    pub fn next(&mut self, at: Duration) -> Step {
        let step = self.decide(at);
        if matches!(step, Step::Done(_)) {
            self.release_share();
        }
        step
    }

    /// The host stopped driving this wait before its `Done` step (an error of the probe
    /// propagated, its task was cancelled, a hook raised): it leaves its clock's polling budget
    /// now. Dropping the Poller does the same, but a host may keep it alive long after (a Python
    /// traceback that refers to it, a pool of Node pollers), and a share left behind would slow
    /// every later wait on the clock. Idempotent.
    pub fn leave_budget(&mut self) {
        self.release_share();
    }

    /// A wait that ended costs its clock nothing any more.
    fn release_share(&mut self) {
        if let Some(share) = &mut self.share {
            share.release();
        }
    }

    // Always: once per evaluation; a call's prologue and epilogue cost as much as its body.
    #[inline(always)]
    fn decide(&mut self, at: Duration) -> Step {
        if let Some(done) = &self.done {
            return Step::Done(done.clone());
        }
        if self.running_since.is_some() || matches!(self.preparation, Preparation::Running { .. }) {
            // Asked while an evaluation is in flight: nothing to decide until it finishes.
            return Step::Wait(Duration::ZERO);
        }
        if self.preparation == Preparation::Pending {
            // The preparation runs at once, on the wait's clock: the deadline bounds it too.
            return Step::Prepare { abandon_at: self.abandon_at(at) };
        }
        let Some(last_start) = self.last_start else {
            return self.evaluate_at(self.first_start, at);
        };
        if self.late.is_some() {
            return self.next_late(last_start, at);
        }
        if let Some(ended) = self.ended(last_start) {
            if ended == Err(ReportKind::NotMet) && !self.late_check.is_zero() {
                let report = self.report(ReportKind::NotMet, self.last_end);
                let until = self.deadline.saturating_add(self.late_check);
                self.late = Some(Box::new(LateCheck { until, report, evaluations: self.evaluations, met: None }));
                return self.next_late(last_start, at);
            }
            return self.finish(ended);
        }
        if self.woken {
            return self.evaluate_at(at, at);
        }
        // `stable_for` keeps to the schedule too (SPEC §2): success comes at the first scheduled
        // evaluation that completes the stretch.
        // Saturating: a period or a start near `Duration::MAX` (a binding's huge interval) must not
        // overflow; the deadline caps the target anyway.
        let target = last_start.saturating_add(self.period(last_start));
        self.evaluate_at(target.min(self.deadline), at)
    }

    /// The preparation (after [`Step::Prepare`]) or an evaluation (after [`Step::Evaluate`])
    /// starts at `at`; returns the evaluation's 1-based number (0 for the preparation).
    #[inline(always)]
    pub fn started(&mut self, at: Duration) -> u32 {
        if self.preparation == Preparation::Pending {
            self.preparation = Preparation::Running { since: at };
            return 0;
        }
        self.evaluations += 1;
        self.running_since = Some(at);
        self.last_start = Some(at);
        self.woken = false;
        self.hinted_during = false;
        self.answering_hint_during = std::mem::take(&mut self.next_answers_hint_during);
        self.evaluations
    }

    /// The preparation completed at `at` (one that failed propagates its error instead).
    pub fn prepared(&mut self, at: Duration) {
        self.preparation = Preparation::Done;
        self.last_end = at;
        self.turned = false;
    }

    /// The evaluation that started last ended at `at` with this outcome; returns it as counted.
    #[inline(always)]
    pub fn finished(&mut self, at: Duration, outcome: Outcome) -> Evaluated {
        let start = self.running_since.take().unwrap_or(at);
        let accepted = matches!(outcome, Outcome::Accepted { .. });
        self.last_end = at;
        self.last_duration = at.saturating_sub(start);
        if let Some(share) = &mut self.share {
            share.set(self.last_duration);
        }
        self.finished_evaluations += 1;
        self.turned = false;
        if std::mem::take(&mut self.hinted_during) {
            self.woken = true;
            self.next_answers_hint_during = true;
        }
        if let Some(late) = &mut self.late {
            // The wait's report is frozen: a late outcome only answers "met late?".
            if accepted && late.met.is_none() {
                late.met = Some((start, self.evaluations));
            }
        } else if let Operation::EventuallySettles { .. } = self.operation {
            self.on_value(start, outcome);
        } else {
            self.on_outcome(start, outcome);
        }
        Evaluated { number: self.evaluations, started: start, duration: self.last_duration, accepted }
    }

    #[inline]
    fn on_outcome(&mut self, start: Duration, outcome: Outcome) {
        match outcome {
            Outcome::Accepted { text } => {
                self.history.accepted(start);
                self.every_failure_nullish = false;
                self.on_accepted(start, text);
            }
            Outcome::Rejected(mut failure) => {
                if !matches!(failure, Failure::Returned { nullish: true, .. }) {
                    self.every_failure_nullish = false;
                }
                // eventually_changes rejects only the baseline seen again: one wording everywhere.
                if self.operation == Operation::EventuallyChanges
                    && let Failure::Returned { repr, .. } = &failure
                {
                    failure = Failure::unchanged(repr);
                }
                let repeated = self.history.failed(&failure, start);
                self.on_rejected(start, failure, repeated);
            }
        }
    }

    /// `eventually_settles`: the binding accepted a value equal to the previous one, rejected a
    /// new one (the first included), or the probe raised. The history shows the values, so a
    /// report tells how the value kept changing.
    fn on_value(&mut self, start: Duration, outcome: Outcome) {
        self.every_failure_nullish = false;
        let (value, same) = match outcome {
            Outcome::Accepted { text } => {
                (Failure::returned(text.unwrap_or_else(|| "a value".to_owned()), false), true)
            }
            Outcome::Rejected(Failure::Returned { repr, .. }) => (Failure::returned(repr, false), false),
            Outcome::Rejected(raised) => {
                let repeated = self.history.failed(&raised, start);
                self.on_rejected(start, raised, repeated);
                return;
            }
        };
        self.history.failed(&value, start);
        self.last_failure = Some(value);
        if !same {
            // A new value: its quiet starts now.
            if let Some(since) = self.accepted_since.take() {
                self.longest_accepted = self.longest_accepted.max(start.saturating_sub(since));
            }
            self.accepted_since = Some(start);
            return;
        }
        let since = *self.accepted_since.get_or_insert(start);
        if start.saturating_sub(since) >= self.stable_for {
            self.done = Some(Ok(()));
        }
    }

    /// A wake hint: an event matching `wake_on` was emitted at `at` (on the wait's clock; a driver
    /// that learns of it later still passes the time it happened). A hint older than the start of
    /// the last evaluation was answered by it. One that arrives between evaluations starts the
    /// next at once. One that arrives while an evaluation runs (the probe's own emission, or
    /// another thread's) is not lost: one more evaluation follows at once, but a hint during that
    /// one earns no further evaluation, so a probe that emits what it waits for cannot spin.
    pub fn wake(&mut self, at: Duration) {
        let Some(start) = self.last_start else {
            // Before the first evaluation, which is still to come and will see the state.
            return;
        };
        if at < start || self.done.is_some() {
            return;
        }
        let during = self.running_since.is_some() || at <= self.last_end;
        if !during {
            self.woken = true;
        } else if !self.answering_hint_during {
            if self.running_since.is_some() {
                self.hinted_during = true;
            } else {
                // Delivered after the evaluation it arrived during had already ended.
                self.woken = true;
                self.next_answers_hint_during = true;
            }
        }
    }

    /// Asynchronous drivers: the preparation or evaluation in flight is still pending at `at`, its
    /// step's `abandon_at`; it is given up and the wait fails with a report saying so.
    pub fn abandon(&mut self, at: Duration) -> Report {
        self.release_share();
        if let Some(late) = self.late.take() {
            // A late evaluation still pending at the end of the late check: still not met.
            self.running_since = None;
            let found = Late::StillNotMet {
                after: at.saturating_sub(self.deadline),
                evaluations: self.evaluations - late.evaluations,
            };
            let report = Report { late: Some(found), ..late.report };
            self.done = Some(Err(Box::new(report.clone())));
            return report;
        }
        let kind = if let Preparation::Running { since } = self.preparation {
            self.preparation = Preparation::Done;
            let what = self.operation.preparation().unwrap_or("the preparation");
            ReportKind::PreparationStillRunning { what, running_for: at.saturating_sub(since) }
        } else {
            let since = self.running_since.take().unwrap_or(at);
            ReportKind::StillRunning { evaluation: self.evaluations, running_for: at.saturating_sub(since) }
        };
        let report = self.report(kind, at);
        self.done = Some(Err(Box::new(report.clone())));
        report
    }

    /// The period after the evaluation that started at `last_start` (SPEC §2). On the default
    /// schedule the cost it covers is this wait's last evaluation plus the shares of every other
    /// wait on its clock: read afresh at each step, so a wait that wakes to find more company
    /// waits on instead of evaluating.
    // Always: once per evaluation; a call's prologue and epilogue cost as much as its body.
    #[inline(always)]
    fn period(&self, last_start: Duration) -> Duration {
        if let Schedule::Adaptive { min, max } = self.schedule
            && min == max
        {
            // The period cannot depend on the costs: the budget's sum is not even read.
            return min;
        }
        let waited = last_start.saturating_sub(self.first_start);
        let others = self.share.as_ref().map_or(Duration::ZERO, Share::others);
        self.schedule.period(self.evaluations, self.last_duration.saturating_add(others), waited)
    }

    /// Evaluate at `target`: wait until then, or start now, after a turn of the event loop if
    /// the last evaluation ended just now.
    // Always: once per evaluation; a call's prologue and epilogue cost as much as its body.
    #[inline(always)]
    fn evaluate_at(&mut self, target: Duration, at: Duration) -> Step {
        if at < target {
            self.turned = true;
            return Step::Wait(target - at);
        }
        if self.driver == Driver::EventLoop && !self.turned {
            self.turned = true;
            return Step::Yield;
        }
        Step::Evaluate { abandon_at: self.abandon_at(at) }
    }

    /// An asynchronous step that starts before the deadline is given up at it; the one that
    /// starts at (or after) the deadline is the last one and is let finish (SPEC §3).
    /// Without a deadline (`FOREVER`) nothing is abandoned: the test runner's timeout ends it.
    // Always: once per evaluation; a call's prologue and epilogue cost as much as its body.
    #[inline(always)]
    fn abandon_at(&self, start: Duration) -> Option<Duration> {
        let horizon = self.late.as_ref().map_or(self.deadline, |late| late.until);
        (start < horizon && horizon != FOREVER).then_some(horizon)
    }

    /// The late check's next step: done once the condition was met or the check's own deadline
    /// was evaluated (or overrun), otherwise the next evaluation on the schedule.
    fn next_late(&mut self, last_start: Duration, at: Duration) -> Step {
        let late = self.late.as_ref().expect("in the late check");
        let looked = self.evaluations > late.evaluations;
        let found = match late.met {
            Some((start, evaluation)) => Some(Late::Met { after: start.saturating_sub(self.deadline), evaluation }),
            None if looked && (last_start >= late.until || self.last_end > late.until) => Some(Late::StillNotMet {
                after: self.last_end.max(late.until).saturating_sub(self.deadline),
                evaluations: self.evaluations - late.evaluations,
            }),
            None => None,
        };
        if let Some(found) = found {
            let late = self.late.take().expect("in the late check");
            let report = Report { late: Some(found), ..late.report };
            self.done = Some(Err(Box::new(report.clone())));
            return Step::Done(Err(Box::new(report)));
        }
        let until = late.until;
        if self.woken {
            return self.evaluate_at(at, at);
        }
        let target = last_start.saturating_add(self.period(last_start));
        self.evaluate_at(target.min(until), at)
    }

    /// Whether the wait is over before another evaluation, and how.
    // Always: once per evaluation; a call's prologue and epilogue cost as much as its body.
    #[inline(always)]
    fn ended(&self, last_start: Duration) -> Option<Result<(), ReportKind>> {
        let safety = self.operation.is_safety();
        if let Some(limit) = self.attempts {
            if self.evaluations >= limit {
                return Some(if safety { Ok(()) } else { Err(ReportKind::AttemptsExhausted { attempts: limit }) });
            }
        }
        // A driver's timer may wake it a little after the deadline: the deadline evaluation still
        // happens then. Only an evaluation that itself ran across the deadline ends the wait.
        let deadline_evaluated = last_start >= self.deadline;
        let overran = self.last_end > self.deadline;
        if !deadline_evaluated && !overran {
            return None;
        }
        if safety {
            return Some(Ok(()));
        }
        // Any evaluation, the deadline's included, may end past the deadline; a timer's lateness
        // or a probe's few milliseconds are not worth a line in the report.
        if overran && self.last_end.saturating_sub(self.deadline) >= OVERRUN_WORTH_REPORTING {
            return Some(Err(ReportKind::Overran {
                evaluation: self.evaluations,
                took: self.last_duration,
                past: self.last_end.saturating_sub(self.deadline),
            }));
        }
        let ever_accepted = self.accepted_since.is_some() || self.longest_accepted > Duration::ZERO;
        if let Operation::EventuallySettles { .. } = self.operation
            && (ever_accepted || self.last_failure.as_ref().is_some_and(|f| f.kind().is_none()))
        {
            let longest = self.longest_accepted_so_far(last_start);
            return Some(Err(ReportKind::NotSettled { quiet: self.stable_for, longest }));
        }
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
        let result = ended.map_err(|kind| Box::new(self.report(kind, self.last_end)));
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
            _ if start < self.at_least => {
                // The value that held, when the binding can show it (a Rust value need not be
                // `Debug`); an earlier failure would mislead as "last".
                self.last_failure = text.map(|t| Failure::returned(t, false));
                let kind = ReportKind::TooEarly { evaluation: self.evaluations, at: start, at_least: self.at_least };
                self.done = Some(Err(Box::new(self.report(kind, self.last_end))));
            }
            _ => {
                let since = *self.accepted_since.get_or_insert(start);
                // Saturating: a driver's clock that went backwards must not panic (the C binding rejects
                // such a time before it gets here; the other bindings' clocks are monotonic).
                if start.saturating_sub(since) >= self.stable_for {
                    self.done = Some(Ok(()));
                }
            }
        }
    }

    #[inline]
    /// `repeated`: the previous evaluation failed the same way (the history's current run), so
    /// the last failure kept already says this.
    fn on_rejected(&mut self, start: Duration, failure: Failure, repeated: bool) {
        if let Some(since) = self.accepted_since.take() {
            self.longest_accepted = self.longest_accepted.max(start.saturating_sub(since));
        }
        match self.operation {
            Operation::Never { .. } => {}
            Operation::Always { .. } => {
                self.last_failure = Some(failure);
                self.violate(start);
            }
            // Equal already: a busy wait neither drops nor moves a failure per evaluation.
            _ if repeated => {}
            _ => self.last_failure = Some(failure),
        }
    }

    fn violate(&mut self, start: Duration) {
        let kind = ReportKind::Violated { evaluation: self.evaluations, at: start };
        let report = self.report(kind, self.last_end);
        self.done = Some(Err(Box::new(report)));
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
            late: None,
        }
    }

    fn hint(&self) -> Option<String> {
        // Only what happened: an evaluation still running (abandoned) returned nothing at all.
        let nullish_every_time =
            self.every_failure_nullish && self.evaluations > 0 && self.finished_evaluations == self.evaluations;
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
        let mut p = Poller::new(op, &options, Spelling::Snake, Driver::Blocking).unwrap();
        let mut now = Duration::ZERO;
        let mut starts = Vec::new();
        loop {
            match p.next(now) {
                Step::Evaluate { .. } => {
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
                Step::Prepare { .. } | Step::Yield => unreachable!("a blocking poller of these operations"),
                Step::Done(r) => return (r.map_err(|b| *b), starts),
            }
        }
    }

    /// Options with the late check off: these tests pin the wait itself (late.json pins it).
    fn opts(timeout: u64) -> Options {
        Options { timeout: ms(timeout), late_check: Duration::ZERO, ..Options::default() }
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
    fn wake_hints_cut_a_wait_short_and_one_during_an_evaluation_earns_one_more() {
        let o = Options { interval: Some(ms(1000)), ..opts(5000) };
        let mut p = Poller::new(Operation::Eventually, &o, Spelling::Snake, Driver::Blocking).unwrap();
        let now = Step::Evaluate { abandon_at: Some(ms(5000)) };
        let rejected = || Outcome::Rejected(Failure::raised("E", ""));
        assert_eq!(p.next(ms(0)), now);
        p.started(ms(0));
        p.wake(ms(1)); // during the evaluation (the probe's own emission, or another thread's)
        p.finished(ms(2), rejected());
        assert_eq!(p.next(ms(2)), now, "one more evaluation, at once");
        p.started(ms(2));
        p.wake(ms(3)); // during the evaluation that answers it: no further one, or it could spin
        p.finished(ms(4), rejected());
        assert_eq!(p.next(ms(4)), Step::Wait(ms(998)));
        p.wake(ms(1)); // older than the last start: that evaluation saw the state
        assert_eq!(p.next(ms(5)), Step::Wait(ms(997)));
        p.wake(ms(6)); // between evaluations
        assert_eq!(p.next(ms(6)), now);
    }

    #[test]
    fn an_event_loop_driver_yields_between_back_to_back_evaluations() {
        let o = Options { interval: Some(ms(10)), ..opts(100) };
        let mut p = Poller::new(Operation::Eventually, &o, Spelling::Snake, Driver::EventLoop).unwrap();
        assert!(matches!(p.next(ms(0)), Step::Evaluate { .. }), "the first evaluation needs no turn");
        p.started(ms(0));
        p.finished(ms(30), Outcome::Rejected(Failure::raised("E", ""))); // slower than its interval
        assert_eq!(p.next(ms(30)), Step::Yield);
        assert!(matches!(p.next(ms(30)), Step::Evaluate { .. }));
        p.started(ms(30));
        p.finished(ms(31), Outcome::Rejected(Failure::raised("E", "")));
        assert_eq!(p.next(ms(31)), Step::Wait(ms(9)), "a wait is a turn already");
        assert!(matches!(p.next(ms(40)), Step::Evaluate { .. }));
    }

    #[test]
    fn the_preparation_comes_first_bounded_by_the_deadline() {
        let mut p = Poller::new(Operation::SyncOperation, &opts(100), Spelling::Snake, Driver::EventLoop).unwrap();
        assert_eq!(p.next(ms(0)), Step::Prepare { abandon_at: Some(ms(100)) });
        assert_eq!(p.started(ms(0)), 0);
        let report = p.abandon(ms(100));
        assert_eq!(
            report.headline(),
            "sync_operation: not met after 0.10 s (0 evaluations); the action still running after 0.10 s"
        );
        let mut p = Poller::new(Operation::EventuallyChanges, &opts(100), Spelling::Snake, Driver::Blocking).unwrap();
        assert!(matches!(p.next(ms(0)), Step::Prepare { .. }));
        p.started(ms(0));
        p.prepared(ms(150)); // a synchronous baseline that took past the deadline
        assert_eq!(p.next(ms(150)), Step::Evaluate { abandon_at: None }, "the last evaluation, let finish");
        p.started(ms(150));
        p.finished(ms(150), Outcome::Rejected(Failure::returned("5", false)));
        let Step::Done(Err(report)) = p.next(ms(150)) else { panic!("expected a timeout") };
        assert_eq!(report.last, Some(Failure::returned("5 (unchanged)", false)));
    }

    #[test]
    fn invalid_options_are_named_as_the_binding_spells_them() {
        let o = Options { min_interval: ms(10), max_interval: ms(5), ..Options::default() };
        let error =
            |spelling| Poller::new(Operation::Eventually, &o, spelling, Driver::Blocking).unwrap_err().to_string();
        assert!(
            error(Spelling::Snake)
                .starts_with("invalid option `max_interval`: max_interval (5ms) is below min_interval")
        );
        assert!(
            error(Spelling::Camel).starts_with("invalid option `maxInterval`: maxInterval (5ms) is below minInterval")
        );
        assert!(
            error(Spelling::C)
                .starts_with("invalid option `max_interval_ms`: max_interval_ms (5ms) is below min_interval_ms")
        );
    }

    #[test]
    fn a_probe_returning_nothing_every_time_gets_a_hint() {
        let mut p = Poller::new(Operation::Eventually, &opts(0), Spelling::Camel, Driver::Blocking).unwrap();
        p.next(ms(0));
        p.started(ms(0));
        p.finished(ms(0), Outcome::Rejected(Failure::returned("undefined", true)));
        let Step::Done(Err(report)) = p.next(ms(0)) else { panic!("expected a timeout") };
        assert!(report.to_string().contains("hint: the probe returned nothing on every evaluation"));
        assert!(report.to_string().contains("eventuallyPasses"));
    }

    #[test]
    fn no_returned_nothing_hint_when_the_probe_never_returned() {
        let mut p = Poller::new(Operation::Eventually, &opts(100), Spelling::Snake, Driver::EventLoop).unwrap();
        p.next(ms(0));
        p.started(ms(0));
        let report = p.abandon(ms(100));
        assert_eq!(report.hint, None, "{report}");
    }

    #[test]
    fn abandoning_a_pending_evaluation_reports_it_still_running() {
        let mut p = Poller::new(Operation::Eventually, &opts(100), Spelling::Snake, Driver::Blocking).unwrap();
        p.next(ms(0));
        p.started(ms(30));
        let report = p.abandon(ms(100));
        assert!(report.to_string().contains("evaluation #1 still running after 0.07 s"), "{report}");
        assert!(matches!(p.next(ms(200)), Step::Done(Err(_))));
    }

    #[test]
    fn a_clock_that_goes_backwards_or_huge_times_never_panic() {
        // started(100), accepted(100), started(50), accepted(50): `start - since` underflowed.
        let mut p = Poller::new(
            Operation::Eventually,
            &Options { stable_for: ms(10), ..opts(1000) },
            Spelling::Snake,
            Driver::Blocking,
        )
        .unwrap();
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
        let mut p = Poller::new(Operation::Eventually, &o, Spelling::Snake, Driver::Blocking).unwrap();
        assert!(matches!(p.next(huge), Step::Evaluate { .. }));
        p.started(Duration::from_secs(10));
        p.finished(Duration::from_secs(10), Outcome::Rejected(Failure::raised("E", "no")));
        assert!(matches!(p.next(Duration::from_secs(10)), Step::Wait(_)));
    }
}
