//! Options, their validation, `LIVENESS_TIMEOUT_SCALE` and the adaptive schedule (SPEC §2).

use std::path::PathBuf;
use std::time::Duration;

use crate::error::Error;
use crate::poll::Spelling;

/// The environment variable that multiplies every timeout and duration (not the polling periods).
pub const TIMEOUT_SCALE_VAR: &str = "LIVENESS_TIMEOUT_SCALE";

/// Options shared by every polling operation. Durations are unscaled: the poller multiplies them
/// by `timeout_scale`, which the binding fills in (each binding reads `LIVENESS_TIMEOUT_SCALE` from its
/// own notion of the environment: Rust and C the process environment, Python `os.environ`, Node
/// the calling thread's `process.env`). The core never reads the environment itself.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// [`FOREVER`] (`Duration::MAX`): no deadline; the wait lasts until the probe is accepted,
    /// the attempts run out, or the test runner's own timeout stops the test.
    pub timeout: Duration,
    /// `None`: the adaptive, cost-aware period (or `intervals` / `backoff` when given).
    pub interval: Option<Duration>,
    /// A schedule of the user's choosing: the period after the first evaluation, after the
    /// second, ...; the last one repeats (Playwright's `intervals`). Exclusive with `interval`
    /// and `backoff`; `Some(empty)` is invalid.
    pub intervals: Option<Vec<Duration>>,
    /// Exponential backoff: each period is this factor (≥ 1) times the previous one, starting
    /// at `interval` (or `min_interval`), capped at `max_interval`.
    pub backoff: Option<f64>,
    pub min_interval: Duration,
    pub max_interval: Duration,
    pub delay: Duration,
    pub attempts: Option<u32>,
    pub message: Option<String>,
    pub stable_for: Duration,
    /// The condition must not hold before this much time has passed: an accepted evaluation that
    /// starts earlier fails the wait (Awaitility's `atLeast`). Not scaled: a lower bound is a
    /// claim about the system (a debounce, a retry-after), which a slow machine does not shorten.
    pub at_least: Duration,
    /// After a timeout (not met by the deadline), keep evaluating on the schedule for up to this
    /// long (and at most as long as the wait itself) and say whether the condition was met late
    /// or still not: a too-tight timeout or a slow machine, against a condition that never
    /// comes. Zero turns it off. Scaled like the timeout.
    pub late_check: Duration,
    /// Event patterns whose emission re-evaluates the probe at once.
    pub wake_on: Vec<String>,
    /// Paths whose change (create, write, rename into place, delete; for a directory, of an
    /// entry in it) re-evaluates the probe at once, like an event matching `wake_on`.
    pub wake_on_path: Vec<PathBuf>,
    /// Multiplies the timeout, `delay`, `stable_for` and `during` (not the polling periods).
    pub timeout_scale: f64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            timeout: Duration::from_secs(5),
            interval: None,
            intervals: None,
            backoff: None,
            min_interval: Duration::from_millis(1),
            max_interval: Duration::from_millis(50),
            delay: Duration::ZERO,
            attempts: None,
            message: None,
            stable_for: Duration::ZERO,
            at_least: Duration::ZERO,
            late_check: DEFAULT_LATE_CHECK,
            wake_on: Vec::new(),
            wake_on_path: Vec::new(),
            timeout_scale: 1.0,
        }
    }
}

/// `timeout = FOREVER`: a wait without a deadline (a binding's `math.inf`, `Infinity`, C's
/// `INFINITY`). Any timeout too large for a `Duration` is this too.
pub const FOREVER: Duration = Duration::MAX;

/// How long a timed-out wait goes on looking, at most (SPEC §3, "Late"): long enough to catch a
/// condition that a loaded machine made a little late, short enough that a failing test costs
/// at most a second more.
pub const DEFAULT_LATE_CHECK: Duration = Duration::from_secs(1);

/// The adaptive period is this many times the previous evaluation's duration, so that evaluating
/// takes at most about 5% of the waiting time.
pub const ADAPTIVE_FACTOR: u32 = 20;

/// The adaptive period is also at least the time waited so far divided by this. A condition
/// that comes true after a long wait is then seen at most 1/400 of that wait late (2.5 ms after a
/// second), while a wait that keeps failing wakes the machine less and less often: over a 2 s
/// wait on a cheap probe this halves the evaluations of a fixed 1 ms period (measured by
/// `make bench`), and within the first 400 ms nothing changes.
pub const ELAPSED_DIVISOR: u32 = 400;

/// A wait with a wake source falls back to polling every `max_interval`, doubling after each
/// evaluation up to this many `max_interval`s (250 ms by default; SPEC §2). The hint carries the
/// latency; each fallback evaluation is a wake-up of the machine, and on this kind of machine a
/// wake-up every 50 ms already costs 10–12% of a 1 ms loop's CPU in Python and Node (issue 17),
/// so the fallback slows down — gradually, so that a short wait whose change nobody announced is
/// still seen about as soon as before.
pub const WAKE_FALLBACK_CAP: u32 = 5;

/// How the period between the starts of two evaluations is chosen (SPEC §2).
#[derive(Debug, Clone, PartialEq)]
pub enum Schedule {
    /// The default: from the previous evaluation's cost and the time waited so far.
    Adaptive { min: Duration, max: Duration },
    /// A given `interval`, as is.
    Fixed(Duration),
    /// The user's list: the period after evaluation *n* is entry *n* (1-based); the last repeats.
    List(Vec<Duration>),
    /// Starts at `initial` and multiplies by `factor` after each evaluation, capped at `max`.
    Backoff { initial: Duration, factor: f64, max: Duration },
}

impl Schedule {
    /// The period after evaluation number `evaluation` (1-based), which took `last_evaluation`,
    /// when the wait has lasted `waited` since its first evaluation.
    #[inline]
    pub fn period(&self, evaluation: u32, last_evaluation: Duration, waited: Duration) -> Duration {
        match self {
            Schedule::Fixed(d) => *d,
            Schedule::Adaptive { min, max } => {
                last_evaluation.saturating_mul(ADAPTIVE_FACTOR).max(waited / ELAPSED_DIVISOR).clamp(*min, *max)
            }
            Schedule::List(list) => {
                let i = (evaluation.max(1) as usize - 1).min(list.len() - 1);
                list[i]
            }
            Schedule::Backoff { initial, factor, max } => {
                // powi of a factor ≥ 1 only grows; past the cap (or past f64) the cap holds.
                let exponent = i32::try_from(evaluation.max(1) - 1).unwrap_or(i32::MAX);
                let secs = initial.as_secs_f64() * factor.powi(exponent);
                Duration::try_from_secs_f64(secs).unwrap_or(Duration::MAX).min(*max)
            }
        }
    }
}

impl Options {
    /// Checks the relations between options that single values cannot express.
    pub fn validate(&self) -> Result<(), Error> {
        self.validate_for(Spelling::Snake)
    }

    /// As [`Options::validate`], naming the options as the binding spells them.
    pub fn validate_for(&self, spelling: Spelling) -> Result<(), Error> {
        let name = |snake: &str| spelling.option(snake);
        if self.max_interval < self.min_interval {
            return Err(Error::invalid_option(
                &name("max_interval"),
                format!(
                    "{} ({:?}) is below {} ({:?})",
                    name("max_interval"),
                    self.max_interval,
                    name("min_interval"),
                    self.min_interval
                ),
            ));
        }
        let given = [
            ("interval", self.interval.is_some_and(|d| !d.is_zero())),
            ("intervals", self.intervals.is_some()),
            ("backoff", self.backoff.is_some()),
        ];
        let schedules: Vec<&str> = given.iter().filter(|(_, set)| *set).map(|(n, _)| *n).collect();
        if schedules.len() > 1 && schedules != ["interval", "backoff"] {
            // `interval` + `backoff` is one schedule: the backoff starts at the interval.
            let names: Vec<String> = schedules.iter().map(|n| name(n)).collect();
            return Err(Error::invalid_option(
                &name(schedules[1]),
                format!("{} are different schedules: give one of them", names.join(" and ")),
            ));
        }
        if let Some(list) = &self.intervals {
            if list.is_empty() {
                return Err(Error::invalid_option(&name("intervals"), "must list at least one period"));
            }
            if let Some(i) = list.iter().position(|d| d.is_zero()) {
                return Err(Error::invalid_option(
                    &name("intervals"),
                    format!("entry {i} is 0: every period must be positive (the adaptive schedule is the default)"),
                ));
            }
        }
        if let Some(factor) = self.backoff {
            if !(factor.is_finite() && factor >= 1.0) {
                return Err(Error::invalid_option(
                    &name("backoff"),
                    format!("must be a factor of at least 1 (each period is the previous one times it), got {factor}"),
                ));
            }
        }
        if self.attempts == Some(0) {
            return Err(Error::invalid_option("attempts", "attempts must be at least 1"));
        }
        if !(self.timeout_scale.is_finite() && self.timeout_scale > 0.0) {
            return Err(Error::invalid_option(
                TIMEOUT_SCALE_VAR,
                format!("must be a positive number, got {}", self.timeout_scale),
            ));
        }
        for pattern in &self.wake_on {
            crate::events::Pattern::new(pattern).map_err(|e| Error::invalid_option(&name("wake_on"), e.to_string()))?;
        }
        crate::events::validate_paths(&self.wake_on_path, &name("wake_on_path"))?;
        Ok(())
    }

    /// Whether something can wake the wait before its next period: an event pattern or a path.
    pub fn has_wake_source(&self) -> bool {
        !self.wake_on.is_empty() || !self.wake_on_path.is_empty()
    }

    /// These options with `timeout_scale` multiplied by the process environment's
    /// `LIVENESS_TIMEOUT_SCALE`: how the Rust and C bindings, whose environment is the process's,
    /// fill in the scale before they create a poller.
    pub fn with_env_scale(mut self) -> Result<Options, Error> {
        self.timeout_scale *= timeout_scale()?;
        Ok(self)
    }

    /// The schedule these options ask for (after [`Options::validate`]).
    pub fn schedule(&self) -> Schedule {
        let fixed = self.interval.filter(|d| !d.is_zero());
        if let Some(factor) = self.backoff {
            let initial = fixed.unwrap_or(self.min_interval);
            return Schedule::Backoff { initial, factor, max: self.max_interval.max(initial) };
        }
        if let Some(list) = &self.intervals {
            return Schedule::List(list.clone());
        }
        match fixed {
            Some(d) => Schedule::Fixed(d),
            // A wait that a hint can wake sees the change through the hint, at once; polling is
            // only the fallback for a hint that never comes, so it starts at the slowest default
            // rate and backs off from there: a 1 s hinted wait costs ~6 evaluations instead of
            // ~1000 (SPEC §2).
            None if self.has_wake_source() => Schedule::Backoff {
                initial: self.max_interval,
                factor: 2.0,
                max: self.max_interval.saturating_mul(WAKE_FALLBACK_CAP),
            },
            None => Schedule::Adaptive { min: self.min_interval, max: self.max_interval },
        }
    }

    /// The relations between these options and the operation's horizon (`timeout`, or
    /// `during` for `always`/`never`) that make a wait contradict itself: a first evaluation
    /// after the deadline, a period longer than the whole wait, a stretch that cannot fit.
    /// Unscaled values are compared: `LIVENESS_TIMEOUT_SCALE` must not turn a valid call into
    /// an invalid one.
    pub fn validate_against(&self, horizon_name: &str, horizon: Duration, spelling: Spelling) -> Result<(), Error> {
        let name = |snake: &str| spelling.option(snake);
        let horizon_name = name(horizon_name);
        let too_long = |option: &str, value: Duration, consequence: &str| {
            Err(Error::invalid_option(
                &name(option),
                format!("{} ({value:?}) is longer than {horizon_name} ({horizon:?}): {consequence}", name(option)),
            ))
        };
        if self.delay > horizon {
            return too_long("delay", self.delay, "the first evaluation would come after the deadline");
        }
        if let Some(interval) = self.interval.filter(|d| !d.is_zero())
            && interval > horizon
        {
            return too_long("interval", interval, "only the first evaluation and the deadline's would happen");
        }
        if let Some(first) = self.intervals.as_ref().and_then(|l| l.first())
            && *first > horizon
        {
            return too_long("intervals", *first, "only the first evaluation and the deadline's would happen");
        }
        if self.stable_for > horizon {
            return too_long("stable_for", self.stable_for, "the probe could never stay accepted that long in time");
        }
        if self.at_least > horizon {
            return too_long("at_least", self.at_least, "the condition could never hold in time");
        }
        Ok(())
    }
}

/// Converts a binding's seconds into a duration, rejecting what no duration can be. A finite
/// value too large for a `Duration` (about 584 billion years) saturates to `Duration::MAX`.
pub fn duration_from_secs(option: &str, secs: f64) -> Result<Duration, Error> {
    if secs.is_nan() {
        return Err(Error::invalid_option(option, "must be a number of seconds, got NaN"));
    }
    if secs.is_infinite() && secs > 0.0 {
        return Err(Error::invalid_option(option, "must be finite (only a timeout can be infinite)"));
    }
    if secs < 0.0 {
        return Err(Error::invalid_option(option, format!("must not be negative, got {secs}")));
    }
    Ok(Duration::try_from_secs_f64(secs).unwrap_or(Duration::MAX))
}

/// A binding's timeout in seconds: as [`duration_from_secs`], and `+∞` is [`FOREVER`].
pub fn timeout_from_secs(option: &str, secs: f64) -> Result<Duration, Error> {
    if secs == f64::INFINITY { Ok(FOREVER) } else { duration_from_secs(option, secs) }
}

/// A binding's timeout in milliseconds: as [`duration_from_millis`], and `+∞` is [`FOREVER`].
pub fn timeout_from_millis(option: &str, ms: f64) -> Result<Duration, Error> {
    if ms == f64::INFINITY { Ok(FOREVER) } else { duration_from_millis(option, ms) }
}

/// Converts a binding's milliseconds into a duration (JavaScript and C speak milliseconds).
pub fn duration_from_millis(option: &str, ms: f64) -> Result<Duration, Error> {
    if ms.is_nan() {
        return Err(Error::invalid_option(option, "must be a number of milliseconds, got NaN"));
    }
    if ms < 0.0 {
        return Err(Error::invalid_option(option, format!("must not be negative, got {ms}")));
    }
    duration_from_secs(option, ms / 1000.0)
}

/// The current `LIVENESS_TIMEOUT_SCALE` of the process environment, read now (1 when unset).
/// For the bindings whose environment is the process's (Rust, C); the Poller never calls it.
pub fn timeout_scale() -> Result<f64, Error> {
    match std::env::var(TIMEOUT_SCALE_VAR) {
        Err(std::env::VarError::NotPresent) => Ok(1.0),
        Err(std::env::VarError::NotUnicode(_)) => Err(Error::invalid_option(TIMEOUT_SCALE_VAR, "is not valid text")),
        Ok(text) => parse_scale(&text),
    }
}

/// Parses a `LIVENESS_TIMEOUT_SCALE` text as a binding read it (blank: 1).
pub fn parse_scale(text: &str) -> Result<f64, Error> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Ok(1.0);
    }
    match trimmed.parse::<f64>() {
        Ok(v) if v.is_finite() && v > 0.0 => Ok(v),
        _ => Err(Error::invalid_option(TIMEOUT_SCALE_VAR, format!("must be a positive number, got {text:?}"))),
    }
}

/// Multiplies a duration by the scale, saturating instead of overflowing.
pub fn scaled(d: Duration, scale: f64) -> Duration {
    if scale == 1.0 {
        return d;
    }
    Duration::try_from_secs_f64(d.as_secs_f64() * scale).unwrap_or(Duration::MAX)
}

/// Seconds with two decimals, the unit of every report.
pub fn fmt_secs(d: Duration) -> String {
    if d == FOREVER {
        return "forever".to_owned();
    }
    format!("{:.2} s", d.as_secs_f64())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adaptive_period_is_twenty_times_the_cost_within_bounds() {
        let o = Options::default().schedule();
        let early = Duration::from_millis(100);
        assert_eq!(o.period(1, Duration::ZERO, early), Duration::from_millis(1));
        assert_eq!(o.period(1, Duration::from_micros(500), early), Duration::from_millis(10));
        assert_eq!(o.period(1, Duration::from_millis(30), early), Duration::from_millis(50));
        let fixed = Options { interval: Some(Duration::from_millis(7)), ..Options::default() }.schedule();
        assert_eq!(fixed.period(9, Duration::from_secs(1), Duration::from_secs(60)), Duration::from_millis(7));
    }

    #[test]
    fn lists_repeat_their_last_period_and_backoff_grows_to_its_cap() {
        let ms = Duration::from_millis;
        let list = Options { intervals: Some(vec![ms(100), ms(250), ms(500)]), ..Options::default() }.schedule();
        let periods: Vec<_> = (1..=5).map(|n| list.period(n, Duration::ZERO, Duration::ZERO)).collect();
        assert_eq!(periods, [ms(100), ms(250), ms(500), ms(500), ms(500)]);
        let backoff =
            Options { interval: Some(ms(10)), backoff: Some(2.0), max_interval: ms(70), ..Options::default() }
                .schedule();
        let periods: Vec<_> =
            [1, 2, 3, 4, u32::MAX].iter().map(|n| backoff.period(*n, Duration::ZERO, Duration::ZERO)).collect();
        assert_eq!(periods, [ms(10), ms(20), ms(40), ms(70), ms(70)]);
    }

    #[test]
    fn contradictory_options_are_named() {
        let s = Spelling::Snake;
        let o = Options { delay: Duration::from_secs(11), timeout: Duration::from_secs(10), ..Options::default() };
        let e = o.validate_against("timeout", o.timeout, s).unwrap_err().to_string();
        assert!(e.starts_with("invalid option `delay`: delay (11s) is longer than timeout (10s)"), "{e}");
        let o = Options { interval: Some(Duration::from_secs(2)), ..Options::default() };
        assert!(
            o.validate_against("during", Duration::from_secs(1), Spelling::Camel)
                .unwrap_err()
                .to_string()
                .contains("longer than during")
        );
        let o = Options { intervals: Some(vec![]), ..Options::default() };
        assert!(o.validate().unwrap_err().to_string().contains("`intervals`"));
        let o = Options { intervals: Some(vec![Duration::from_millis(1)]), backoff: Some(2.0), ..Options::default() };
        assert!(o.validate().unwrap_err().to_string().contains("different schedules"));
        let o = Options { backoff: Some(0.5), ..Options::default() };
        assert!(o.validate().unwrap_err().to_string().contains("`backoff`"));
        let forever = Options { timeout: FOREVER, delay: Duration::from_secs(3600), ..Options::default() };
        assert!(forever.validate_against("timeout", FOREVER, s).is_ok());
    }

    #[test]
    fn adaptive_period_grows_with_the_time_waited() {
        let o = Options::default().schedule();
        let period = |last, waited| o.period(1, last, waited);
        let cheap = Duration::from_micros(10);
        assert_eq!(period(cheap, Duration::from_millis(400)), Duration::from_millis(1));
        assert_eq!(period(cheap, Duration::from_secs(1)), Duration::from_micros(2500));
        assert_eq!(period(cheap, Duration::from_secs(8)), Duration::from_millis(20));
        assert_eq!(period(cheap, Duration::from_secs(3600)), Duration::from_millis(50), "capped");
        // The costlier bound wins.
        assert_eq!(period(Duration::from_millis(1), Duration::from_secs(1)), Duration::from_millis(20));
    }

    #[test]
    fn bad_durations_are_named() {
        for bad in [-1.0, f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            let err = duration_from_secs("timeout", bad).unwrap_err();
            assert!(err.to_string().contains("`timeout`"), "{err}");
        }
        assert_eq!(timeout_from_secs("timeout", f64::INFINITY).unwrap(), FOREVER);
        assert_eq!(timeout_from_millis("timeout", 2f64.powi(31)).unwrap(), Duration::from_millis(1 << 31));
        assert_eq!(duration_from_secs("timeout", 1e300).unwrap(), Duration::MAX, "saturates");
        assert_eq!(duration_from_millis("delay", 250.0).unwrap(), Duration::from_millis(250));
    }

    #[test]
    fn relations_between_options_are_checked() {
        let o = Options {
            min_interval: Duration::from_millis(10),
            max_interval: Duration::from_millis(5),
            ..Options::default()
        };
        assert!(o.validate().unwrap_err().to_string().contains("max_interval"));
        let o = Options { attempts: Some(0), ..Options::default() };
        assert!(o.validate().is_err());
        let o = Options { wake_on: vec!["a..b".into()], ..Options::default() };
        assert!(o.validate().unwrap_err().to_string().contains("wake_on"));
    }

    #[test]
    fn scale_text_must_be_a_positive_number() {
        assert_eq!(parse_scale("2.5").unwrap(), 2.5);
        assert_eq!(parse_scale("").unwrap(), 1.0);
        for bad in ["0", "-1", "abc", "NaN", "inf"] {
            assert!(parse_scale(bad).is_err(), "{bad}");
        }
        assert_eq!(scaled(Duration::from_secs(2), 1.5), Duration::from_secs(3));
    }
}
