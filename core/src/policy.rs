//! Options, their validation, `LIVENESS_TIMEOUT_SCALE` and the adaptive schedule (SPEC §2).

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
    pub timeout: Duration,
    /// `None`: the adaptive, cost-aware period.
    pub interval: Option<Duration>,
    pub min_interval: Duration,
    pub max_interval: Duration,
    pub delay: Duration,
    pub attempts: Option<u32>,
    pub message: Option<String>,
    pub stable_for: Duration,
    /// Event patterns whose emission re-evaluates the probe at once.
    pub wake_on: Vec<String>,
    /// Multiplies the timeout, `delay`, `stable_for` and `during` (not the polling periods).
    pub timeout_scale: f64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            timeout: Duration::from_secs(5),
            interval: None,
            min_interval: Duration::from_millis(1),
            max_interval: Duration::from_millis(50),
            delay: Duration::ZERO,
            attempts: None,
            message: None,
            stable_for: Duration::ZERO,
            wake_on: Vec::new(),
            timeout_scale: 1.0,
        }
    }
}

/// The adaptive period is this many times the previous evaluation's duration, so that evaluating
/// takes at most about 5% of the waiting time.
pub const ADAPTIVE_FACTOR: u32 = 20;

/// The adaptive period is also at least the time waited so far divided by this. A condition
/// that comes true after a long wait is then seen at most 1/400 of that wait late (2.5 ms after a
/// second), while a wait that keeps failing wakes the machine less and less often: over a 2 s
/// wait on a cheap probe this halves the evaluations of a fixed 1 ms period (measured by
/// `make bench`), and within the first 400 ms nothing changes.
pub const ELAPSED_DIVISOR: u32 = 400;

/// The period between the starts of two evaluations: a fixed `interval` as given, otherwise the
/// adaptive one, from the previous evaluation's cost and the time waited so far.
pub fn period(
    interval: Option<Duration>,
    min_interval: Duration,
    max_interval: Duration,
    last_evaluation: Duration,
    waited: Duration,
) -> Duration {
    match interval {
        // `interval = 0` is the adaptive schedule in every binding (SPEC §2): C spells "unset" as 0,
        // and a busy loop is what `min_interval = 0` asks for, explicitly.
        Some(fixed) if !fixed.is_zero() => fixed,
        _ => last_evaluation
            .saturating_mul(ADAPTIVE_FACTOR)
            .max(waited / ELAPSED_DIVISOR)
            .clamp(min_interval, max_interval),
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
        Ok(())
    }

    /// These options with `timeout_scale` multiplied by the process environment's
    /// `LIVENESS_TIMEOUT_SCALE`: how the Rust and C bindings, whose environment is the process's,
    /// fill in the scale before they create a poller.
    pub fn with_env_scale(mut self) -> Result<Options, Error> {
        self.timeout_scale *= timeout_scale()?;
        Ok(self)
    }

    /// The period between the starts of two evaluations, given how long the last one took and
    /// how long the wait has lasted.
    pub fn period_after(&self, last_evaluation: Duration, waited: Duration) -> Duration {
        period(self.interval, self.min_interval, self.max_interval, last_evaluation, waited)
    }
}

/// Converts a binding's seconds into a duration, rejecting what no duration can be.
pub fn duration_from_secs(option: &str, secs: f64) -> Result<Duration, Error> {
    if secs.is_nan() {
        return Err(Error::invalid_option(option, "must be a number of seconds, got NaN"));
    }
    if secs.is_infinite() {
        return Err(Error::invalid_option(option, "must be finite"));
    }
    if secs < 0.0 {
        return Err(Error::invalid_option(option, format!("must not be negative, got {secs}")));
    }
    Duration::try_from_secs_f64(secs).map_err(|e| Error::invalid_option(option, e.to_string()))
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
    format!("{:.2} s", d.as_secs_f64())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adaptive_period_is_twenty_times_the_cost_within_bounds() {
        let o = Options::default();
        let early = Duration::from_millis(100);
        assert_eq!(o.period_after(Duration::ZERO, early), Duration::from_millis(1));
        assert_eq!(o.period_after(Duration::from_micros(500), early), Duration::from_millis(10));
        assert_eq!(o.period_after(Duration::from_millis(30), early), Duration::from_millis(50));
        let fixed = Options { interval: Some(Duration::from_millis(7)), ..Options::default() };
        assert_eq!(fixed.period_after(Duration::from_secs(1), Duration::from_secs(60)), Duration::from_millis(7));
    }

    #[test]
    fn adaptive_period_grows_with_the_time_waited() {
        let o = Options::default();
        let cheap = Duration::from_micros(10);
        assert_eq!(o.period_after(cheap, Duration::from_millis(400)), Duration::from_millis(1));
        assert_eq!(o.period_after(cheap, Duration::from_secs(1)), Duration::from_micros(2500));
        assert_eq!(o.period_after(cheap, Duration::from_secs(8)), Duration::from_millis(20));
        assert_eq!(o.period_after(cheap, Duration::from_secs(3600)), Duration::from_millis(50), "capped");
        // The costlier bound wins.
        assert_eq!(o.period_after(Duration::from_millis(1), Duration::from_secs(1)), Duration::from_millis(20));
    }

    #[test]
    fn bad_durations_are_named() {
        for bad in [-1.0, f64::NAN, f64::INFINITY] {
            let err = duration_from_secs("timeout", bad).unwrap_err();
            assert!(err.to_string().contains("`timeout`"), "{err}");
        }
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
