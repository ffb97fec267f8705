//! Python keyword options → the core's `Options`. Only type translation happens here (seconds as
//! floats, a pattern or a list of them, exception classes); ranges and relations are checked by
//! the core, which names the option in its message.

use std::time::Duration;

use liveness::policy::{self, Options};
use liveness::poll::Operation;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyString, PyTuple, PyType};

use crate::errors::core_error;

/// Seconds as a Python number → a duration; `None` means "not given".
pub fn seconds(option: &str, value: Option<&Bound<'_, PyAny>>) -> PyResult<Option<Duration>> {
    let Some(secs) = number(option, value, "a number of seconds")? else { return Ok(None) };
    policy::duration_from_secs(option, secs).map(Some).map_err(core_error)
}

/// The timeout: seconds as for [`seconds`], and `math.inf` is a wait without a deadline.
pub fn timeout_seconds(value: Option<&Bound<'_, PyAny>>) -> PyResult<Option<Duration>> {
    let Some(secs) = number("timeout", value, "a number of seconds")? else { return Ok(None) };
    policy::timeout_from_secs("timeout", secs).map(Some).map_err(core_error)
}

/// A Python number (an `int`, a `float`, anything with `__float__`, but not a `bool` or a
/// string, which are mistakes) as `f64`; `None` means "not given". Ranges are the core's.
fn number(option: &str, value: Option<&Bound<'_, PyAny>>, expected: &str) -> PyResult<Option<f64>> {
    let Some(value) = value.filter(|v| !v.is_none()) else { return Ok(None) };
    if value.is_instance_of::<PyBool>() || value.is_instance_of::<PyString>() {
        return Err(wrong_type(option, expected, value));
    }
    value.extract().map(Some).map_err(|_| wrong_type(option, expected, value))
}

/// `intervals`: a sequence of seconds (a list, a tuple...), one period per evaluation.
fn interval_list(value: Option<&Bound<'_, PyAny>>) -> PyResult<Option<Vec<Duration>>> {
    const EXPECTED: &str = "a sequence of numbers of seconds";
    let Some(value) = value.filter(|v| !v.is_none()) else { return Ok(None) };
    // A string is a sequence too, and a set or a generator has no order to repeat the last of.
    let sequence = value
        .cast::<pyo3::types::PySequence>()
        .ok()
        .filter(|_| !value.is_instance_of::<PyString>() && !value.is_instance_of::<PyBytes>())
        .ok_or_else(|| wrong_type("intervals", EXPECTED, value))?;
    let mut out = Vec::new();
    for item in sequence.try_iter()? {
        let item = item?;
        let secs =
            number("intervals", Some(&item), EXPECTED)?.ok_or_else(|| wrong_type("intervals", EXPECTED, &item))?;
        out.push(policy::duration_from_secs("intervals", secs).map_err(core_error)?);
    }
    Ok(Some(out))
}

fn wrong_type(option: &str, expected: &str, value: &Bound<'_, PyAny>) -> PyErr {
    PyTypeError::new_err(format!(
        "invalid option `{option}`: expected {expected}, got {} ({})",
        short_repr(value),
        type_name(value)
    ))
}

pub fn type_name(value: &Bound<'_, PyAny>) -> String {
    value.get_type().name().map(|n| n.to_string()).unwrap_or_else(|_| "?".to_owned())
}

/// `repr(value)`, cut short so a huge object cannot flood a message.
pub fn short_repr(value: &Bound<'_, PyAny>) -> String {
    const MAX: usize = 200;
    let text = value.repr().map(|r| r.to_string()).unwrap_or_else(|_| "<unrepresentable object>".to_owned());
    if text.chars().count() <= MAX {
        return text;
    }
    let cut: String = text.chars().take(MAX - 1).collect();
    format!("{cut}…")
}

/// One pattern or a sequence of patterns.
pub fn patterns(option: &str, value: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<String>> {
    let Some(value) = value.filter(|v| !v.is_none()) else { return Ok(Vec::new()) };
    if let Ok(one) = value.cast::<PyString>() {
        return Ok(vec![one.to_string()]);
    }
    let wrong = || {
        PyTypeError::new_err(format!(
            "invalid option `{option}`: expected an event pattern or a list of them, got {}",
            short_repr(value)
        ))
    };
    let mut out = Vec::new();
    for item in value.try_iter().map_err(|_| wrong())? {
        let item = item?;
        out.push(item.cast::<PyString>().map_err(|_| wrong())?.to_string());
    }
    Ok(out)
}

/// `wake_on_path`: a path (`str` or `os.PathLike`) or an iterable of them.
pub fn paths(option: &str, value: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<std::path::PathBuf>> {
    let Some(value) = value.filter(|v| !v.is_none()) else { return Ok(Vec::new()) };
    let wrong = || {
        PyTypeError::new_err(format!(
            "invalid option `{option}`: expected a path (str or os.PathLike) or a list of them, got {}",
            short_repr(value)
        ))
    };
    // A str is iterable too: one path, not a list of one-letter paths.
    if value.is_instance_of::<PyString>() || value.hasattr("__fspath__")? {
        return Ok(vec![value.extract().map_err(|_| wrong())?]);
    }
    let mut out = Vec::new();
    for item in value.try_iter().map_err(|_| wrong())? {
        let item = item?;
        if !(item.is_instance_of::<PyString>() || item.hasattr("__fspath__")?) {
            return Err(wrong());
        }
        out.push(item.extract().map_err(|_| wrong())?);
    }
    Ok(out)
}

/// An exception class or a tuple of them (what `isinstance` takes), kept as a tuple.
pub fn exception_types(option: &str, value: Option<&Bound<'_, PyAny>>) -> PyResult<Option<Py<PyTuple>>> {
    let Some(value) = value.filter(|v| !v.is_none()) else { return Ok(None) };
    let py = value.py();
    let items: Vec<Bound<'_, PyAny>> = match value.cast::<PyTuple>() {
        Ok(t) => t.iter().collect(),
        Err(_) => match value.cast::<pyo3::types::PyList>() {
            Ok(l) => l.iter().collect(),
            Err(_) => vec![value.clone()],
        },
    };
    let base = py.get_type::<pyo3::exceptions::PyBaseException>();
    for item in &items {
        let ok = item.cast::<PyType>().map(|t| t.is_subclass(&base).unwrap_or(false)).unwrap_or(false);
        if !ok {
            return Err(PyTypeError::new_err(format!(
                "invalid option `{option}`: expected an exception class or a tuple of them, got {}",
                short_repr(item)
            )));
        }
    }
    Ok(Some(PyTuple::new(py, items)?.unbind()))
}

/// The keyword options every polling operation takes, as Python passes them.
#[derive(Default)]
pub struct RawOptions<'a, 'py> {
    pub timeout: Option<&'a Bound<'py, PyAny>>,
    pub interval: Option<&'a Bound<'py, PyAny>>,
    pub intervals: Option<&'a Bound<'py, PyAny>>,
    pub backoff: Option<&'a Bound<'py, PyAny>>,
    pub min_interval: Option<&'a Bound<'py, PyAny>>,
    pub max_interval: Option<&'a Bound<'py, PyAny>>,
    pub delay: Option<&'a Bound<'py, PyAny>>,
    pub attempts: Option<&'a Bound<'py, PyAny>>,
    pub message: Option<&'a Bound<'py, PyAny>>,
    pub stable_for: Option<&'a Bound<'py, PyAny>>,
    pub at_least: Option<&'a Bound<'py, PyAny>>,
    pub late_check: Option<&'a Bound<'py, PyAny>>,
    pub wake_on: Option<&'a Bound<'py, PyAny>>,
    pub wake_on_path: Option<&'a Bound<'py, PyAny>>,
}

impl RawOptions<'_, '_> {
    pub fn to_core(&self) -> PyResult<Options> {
        let mut o = Options::default();
        if let Some(d) = timeout_seconds(self.timeout)? {
            o.timeout = d;
        }
        o.interval = seconds("interval", self.interval)?;
        o.intervals = interval_list(self.intervals)?;
        o.backoff = number("backoff", self.backoff, "a number (the factor each period is multiplied by)")?;
        if let Some(d) = seconds("min_interval", self.min_interval)? {
            o.min_interval = d;
        }
        if let Some(d) = seconds("max_interval", self.max_interval)? {
            o.max_interval = d;
        }
        if let Some(d) = seconds("delay", self.delay)? {
            o.delay = d;
        }
        if let Some(d) = seconds("stable_for", self.stable_for)? {
            o.stable_for = d;
        }
        if let Some(d) = seconds("at_least", self.at_least)? {
            o.at_least = d;
        }
        if let Some(d) = seconds("late_check", self.late_check)? {
            o.late_check = d;
        }
        o.attempts = attempts(self.attempts)?;
        o.message = match self.message.filter(|v| !v.is_none()) {
            None => None,
            Some(m) => Some(
                m.cast::<PyString>()
                    .map_err(|_| {
                        PyTypeError::new_err(format!(
                            "invalid option `message`: expected a string, got {}",
                            short_repr(m)
                        ))
                    })?
                    .to_string(),
            ),
        };
        o.wake_on = patterns("wake_on", self.wake_on)?;
        o.wake_on_path = paths("wake_on_path", self.wake_on_path)?;
        o.validate().map_err(core_error)?;
        Ok(o)
    }
}

fn attempts(value: Option<&Bound<'_, PyAny>>) -> PyResult<Option<u32>> {
    let Some(value) = value.filter(|v| !v.is_none()) else { return Ok(None) };
    let wrong_type = || {
        PyTypeError::new_err(format!(
            "invalid option `attempts`: expected a whole number, got {} ({})",
            short_repr(value),
            type_name(value)
        ))
    };
    if value.is_instance_of::<PyBool>() || !value.is_instance_of::<pyo3::types::PyInt>() {
        return Err(wrong_type());
    }
    let n: i128 = value.extract().map_err(|_| wrong_type())?;
    if n < 1 {
        return Err(PyValueError::new_err(format!("invalid option `attempts`: must be at least 1, got {n}")));
    }
    Ok(Some(u32::try_from(n).unwrap_or(u32::MAX)))
}

/// The operation named as Python spells it, with its own argument (`during`, `quiet`).
pub fn operation(
    name: &str,
    during: Option<&Bound<'_, PyAny>>,
    quiet: Option<&Bound<'_, PyAny>>,
) -> PyResult<Operation> {
    let required = |option: &str, value| -> PyResult<Duration> {
        seconds(option, value)?.ok_or_else(|| PyTypeError::new_err(format!("{name}: `{option}` is required")))
    };
    let during = || required("during", during);
    Ok(match name {
        "eventually" => Operation::Eventually,
        "eventually_passes" => Operation::EventuallyPasses,
        "eventually_changes" => Operation::EventuallyChanges,
        "eventually_settles" => Operation::EventuallySettles { quiet: required("quiet", quiet)? },
        "sync_operation" => Operation::SyncOperation,
        "always" => Operation::Always { during: during()? },
        "never" => Operation::Never { during: during()? },
        other => return Err(PyValueError::new_err(format!("unknown operation {other:?}"))),
    })
}

/// The current `LIVENESS_TIMEOUT_SCALE` (1.0 when unset), as the core reads it.
#[pyfunction]
pub fn timeout_scale() -> PyResult<f64> {
    policy::timeout_scale().map_err(core_error)
}

/// Checks a set of options as a wait would, without waiting (the pytest plugin's ini values and
/// markers are checked this way, so a bad value fails at once with the core's message).
#[pyfunction]
#[pyo3(signature = (*, timeout=None, interval=None, intervals=None, backoff=None, min_interval=None,
                    max_interval=None, delay=None, attempts=None, message=None, stable_for=None, at_least=None, late_check=None,
                    wake_on=None, wake_on_path=None))]
#[allow(clippy::too_many_arguments)]
pub fn validate_options(
    timeout: Option<Bound<'_, PyAny>>,
    interval: Option<Bound<'_, PyAny>>,
    intervals: Option<Bound<'_, PyAny>>,
    backoff: Option<Bound<'_, PyAny>>,
    min_interval: Option<Bound<'_, PyAny>>,
    max_interval: Option<Bound<'_, PyAny>>,
    delay: Option<Bound<'_, PyAny>>,
    attempts: Option<Bound<'_, PyAny>>,
    message: Option<Bound<'_, PyAny>>,
    stable_for: Option<Bound<'_, PyAny>>,
    at_least: Option<Bound<'_, PyAny>>,
    late_check: Option<Bound<'_, PyAny>>,
    wake_on: Option<Bound<'_, PyAny>>,
    wake_on_path: Option<Bound<'_, PyAny>>,
) -> PyResult<()> {
    let raw = RawOptions {
        timeout: timeout.as_ref(),
        interval: interval.as_ref(),
        intervals: intervals.as_ref(),
        backoff: backoff.as_ref(),
        min_interval: min_interval.as_ref(),
        max_interval: max_interval.as_ref(),
        delay: delay.as_ref(),
        attempts: attempts.as_ref(),
        message: message.as_ref(),
        stable_for: stable_for.as_ref(),
        at_least: at_least.as_ref(),
        late_check: late_check.as_ref(),
        wake_on: wake_on.as_ref(),
        wake_on_path: wake_on_path.as_ref(),
    };
    raw.to_core()?;
    timeout_scale()?;
    Ok(())
}
