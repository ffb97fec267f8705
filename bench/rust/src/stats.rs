//! Percentiles and the record shape of a sample of durations.

use std::time::Duration;

use serde_json::{Value, json};

pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// `n`, `p50_ms`, `p99_ms`, `mean_ms` of a sample (sorted here).
pub fn summary(mut samples: Vec<Duration>) -> Value {
    samples.sort();
    let mean = samples.iter().sum::<Duration>().checked_div(samples.len() as u32).unwrap_or_default();
    json!({"n": samples.len(), "p50_ms": ms(percentile(&samples, 50.0)), "p99_ms": ms(percentile(&samples, 99.0)),
           "mean_ms": ms(mean)})
}

/// Merges the fields of `extra` into the object `base`.
pub fn with(mut base: Value, extra: Value) -> Value {
    if let (Some(b), Value::Object(e)) = (base.as_object_mut(), extra) {
        b.extend(e);
    }
    base
}
