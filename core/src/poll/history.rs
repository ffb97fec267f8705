//! Consecutive runs of the same outcome, so a failure shows whether the probe was converging
//! or stuck. Bounded: a wait of hours keeps the first run and the most recent ones.

use std::collections::VecDeque;
use std::time::Duration;

use super::outcome::Failure;
use crate::policy::fmt_secs;

/// What a run of evaluations had in common.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunOutcome {
    Accepted,
    Failed(Failure),
}

/// `count` consecutive evaluations with the same outcome, started between `first` and `last`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    pub outcome: RunOutcome,
    pub count: u32,
    pub first: Duration,
    pub last: Duration,
}

/// At most this many runs are shown: the first, and the most recent ones.
pub const SHOWN_RUNS: usize = 5;
const KEPT_RECENT: usize = SHOWN_RUNS - 1;

#[derive(Debug, Clone, Default)]
pub struct History {
    first: Option<Run>,
    recent: VecDeque<Run>,
    omitted: usize,
}

impl History {
    /// An accepted evaluation that started `at`.
    pub fn accepted(&mut self, at: Duration) {
        self.record(|run| matches!(run, RunOutcome::Accepted), || RunOutcome::Accepted, at);
    }

    /// A failed evaluation that started `at`. A repeat of the current run's failure only counts
    /// (nothing is cloned or formatted per evaluation: a busy wait must not allocate). Returns
    /// whether it was such a repeat: the previous evaluation failed the same way.
    #[inline]
    pub fn failed(&mut self, failure: &Failure, at: Duration) -> bool {
        let same = |run: &RunOutcome| matches!(run, RunOutcome::Failed(f) if f.same_as(failure));
        self.record(same, || RunOutcome::Failed(failure.clone()), at)
    }

    /// Counts the evaluation in the current run if `same`; returns whether it did.
    #[inline]
    fn record(
        &mut self,
        same: impl Fn(&RunOutcome) -> bool,
        outcome: impl FnOnce() -> RunOutcome,
        at: Duration,
    ) -> bool {
        let current = self.recent.back_mut().or(self.first.as_mut());
        if let Some(run) = current {
            if same(&run.outcome) {
                run.count += 1;
                run.last = at;
                return true;
            }
        }
        let run = Run { outcome: outcome(), count: 1, first: at, last: at };
        if self.first.is_none() {
            self.first = Some(run);
            return false;
        }
        if self.recent.len() == KEPT_RECENT {
            self.recent.pop_front();
            self.omitted += 1;
        }
        self.recent.push_back(run);
        false
    }

    /// The runs kept, oldest first, and how many runs between them were dropped.
    pub fn runs(&self) -> (Vec<Run>, usize) {
        let runs = self.first.iter().chain(self.recent.iter()).cloned().collect();
        (runs, self.omitted)
    }
}

pub(crate) fn describe_runs(runs: &[Run], omitted: usize) -> String {
    let mut parts: Vec<String> = Vec::with_capacity(runs.len() + 1);
    for (i, run) in runs.iter().enumerate() {
        if i == 1 && omitted > 0 {
            parts.push(format!("… {omitted} more run{} …", if omitted == 1 { "" } else { "s" }));
        }
        let label = match &run.outcome {
            RunOutcome::Accepted => "accepted".to_owned(),
            RunOutcome::Failed(f) => f.label(),
        };
        let when = if run.count == 1 {
            fmt_secs(run.first)
        } else {
            format!("{:.2}–{}", run.first.as_secs_f64(), fmt_secs(run.last))
        };
        parts.push(format!("{}× {label} {when}", run.count));
    }
    parts.join(", then ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fail(kind: &'static str) -> Failure {
        Failure::raised(kind, "")
    }

    #[test]
    fn consecutive_outcomes_fold_into_runs() {
        let mut h = History::default();
        for i in 0..12 {
            h.failed(&fail("FileNotFoundError"), Duration::from_millis(i * 10));
        }
        h.failed(&fail("AssertionError"), Duration::from_millis(210));
        let (runs, omitted) = h.runs();
        assert_eq!(omitted, 0);
        assert_eq!(runs.len(), 2);
        assert_eq!(runs[0].count, 12);
        assert_eq!(describe_runs(&runs, omitted), "12× FileNotFoundError 0.00–0.11 s, then 1× AssertionError 0.21 s");
    }

    #[test]
    fn a_failure_repeating_the_current_run_says_so() {
        let mut h = History::default();
        assert!(!h.failed(&fail("A"), Duration::ZERO), "the first evaluation starts a run");
        assert!(h.failed(&fail("A"), Duration::from_millis(1)));
        h.accepted(Duration::from_millis(2));
        assert!(!h.failed(&fail("A"), Duration::from_millis(3)), "an acceptance ended the run");
        assert!(!h.failed(&fail("B"), Duration::from_millis(4)));
    }

    #[test]
    fn only_the_first_and_latest_runs_are_kept() {
        let mut h = History::default();
        for i in 0..20u64 {
            let kind = if i % 2 == 0 { "A" } else { "B" };
            h.failed(&fail(kind), Duration::from_millis(i));
        }
        let (runs, omitted) = h.runs();
        assert_eq!(runs.len(), SHOWN_RUNS);
        assert_eq!(omitted, 15);
        assert_eq!(runs[0].first, Duration::ZERO);
        assert_eq!(runs[4].first, Duration::from_millis(19));
        assert!(describe_runs(&runs, omitted).contains("… 15 more runs …"));
    }
}
