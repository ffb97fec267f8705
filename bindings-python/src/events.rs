//! The event bus from Python: emit, attach/detach, captures and the assertion checks.
//!
//! Payloads are snapshotted at emit time: plain data (None, bool, int, float, str, and lists,
//! tuples and str-keyed dicts of them) is copied into the core; any other object is kept by
//! reference (`Value::Host`) and comes back as the very same object.

use std::any::Any;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use liveness::events::{self as bus, HostValue, Value, Where};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyMapping, PyString, PyTuple};

use crate::errors::{HANDLER_WARNING, core_error};
use crate::options::{patterns, short_repr, type_name};

/// A Python object carried by reference through the core.
struct PyHost(Py<PyAny>);

impl fmt::Debug for PyHost {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PyHost({})", self.text())
    }
}

impl HostValue for PyHost {
    fn text(&self) -> String {
        Python::attach(|py| short_repr(self.0.bind(py)))
    }

    fn equals(&self, other: &dyn HostValue) -> bool {
        match other.as_any().downcast_ref::<PyHost>() {
            Some(other) => Python::attach(|py| self.0.bind(py).eq(other.0.bind(py)).unwrap_or(false)),
            None => self.text() == other.text(),
        }
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// A Python value → a core value (data copied, anything else by reference).
fn to_value(obj: &Bound<'_, PyAny>) -> PyResult<Value> {
    if obj.is_none() {
        return Ok(Value::Null);
    }
    // Exact types only: a subclass (an IntEnum, a str subclass) is not plain data and keeps its
    // identity.
    if obj.is_exact_instance_of::<PyBool>() {
        return Ok(Value::Bool(obj.is_truthy()?));
    }
    if obj.is_exact_instance_of::<PyInt>() {
        if let Ok(i) = obj.extract::<i64>() {
            return Ok(Value::Int(i));
        }
    } else if obj.is_exact_instance_of::<PyFloat>() {
        return Ok(Value::Float(obj.extract::<f64>()?));
    } else if obj.is_exact_instance_of::<PyString>() {
        return Ok(Value::Str(obj.extract::<String>()?));
    } else if obj.is_exact_instance_of::<PyList>() || obj.is_exact_instance_of::<PyTuple>() {
        let items: PyResult<Vec<Value>> = obj.try_iter()?.map(|item| to_value(&item?)).collect();
        return Ok(Value::List(items?));
    } else if let Ok(dict) = obj.cast_exact::<PyDict>()
        && dict.keys().iter().all(|k| k.is_exact_instance_of::<PyString>())
    {
        let mut map = BTreeMap::new();
        for (k, v) in dict.iter() {
            map.insert(k.extract::<String>()?, to_value(&v)?);
        }
        return Ok(Value::Map(map));
    }
    Ok(Value::Host(Arc::new(PyHost(obj.clone().unbind()))))
}

/// A core value → Python (host objects from Python come back as themselves; from another
/// language, as their text).
fn to_python(py: Python<'_>, value: &Value) -> PyResult<Py<PyAny>> {
    Ok(match value {
        Value::Null => py.None(),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any().unbind(),
        Value::Int(i) => i.into_pyobject(py)?.into_any().unbind(),
        Value::Float(f) => f.into_pyobject(py)?.into_any().unbind(),
        Value::Str(s) => PyString::new(py, s).into_any().unbind(),
        Value::List(items) => {
            let items: PyResult<Vec<Py<PyAny>>> = items.iter().map(|v| to_python(py, v)).collect();
            PyList::new(py, items?)?.into_any().unbind()
        }
        Value::Map(map) => map_to_dict(py, map)?.into_any().unbind(),
        Value::Host(host) => match host.as_any().downcast_ref::<PyHost>() {
            Some(obj) => obj.0.clone_ref(py),
            None => PyString::new(py, &host.text()).into_any().unbind(),
        },
    })
}

fn map_to_dict<'py>(py: Python<'py>, map: &BTreeMap<String, Value>) -> PyResult<Bound<'py, PyDict>> {
    let dict = PyDict::new(py);
    for (k, v) in map {
        dict.set_item(k, to_python(py, v)?)?;
    }
    Ok(dict)
}

/// Key/value pairs of a mapping argument (`None` is empty).
fn items<'py>(what: &str, obj: Option<&Bound<'py, PyAny>>) -> PyResult<Vec<(Bound<'py, PyAny>, Bound<'py, PyAny>)>> {
    let mut pairs = Vec::new();
    for_each_item(what, obj, |k, v| {
        pairs.push((k.clone(), v.clone()));
        Ok(())
    })?;
    Ok(pairs)
}

/// Calls `f` on each key/value pair of a mapping argument (`None` is empty); a dict is walked in
/// place, so checking an emit's payload copies nothing.
fn for_each_item<'py>(
    what: &str,
    obj: Option<&Bound<'py, PyAny>>,
    mut f: impl FnMut(&Bound<'py, PyAny>, &Bound<'py, PyAny>) -> PyResult<()>,
) -> PyResult<()> {
    let Some(obj) = obj.filter(|o| !o.is_none()) else { return Ok(()) };
    if let Ok(dict) = obj.cast::<PyDict>() {
        return dict.iter().try_for_each(|(k, v)| f(&k, &v));
    }
    let mapping = obj.cast::<PyMapping>().map_err(|_| {
        PyTypeError::new_err(format!("{what} must be a dict, got {} ({})", short_repr(obj), type_name(obj)))
    })?;
    for pair in mapping.items()?.iter() {
        let (k, v): (Bound<'py, PyAny>, Bound<'py, PyAny>) = pair.extract()?;
        f(&k, &v)?;
    }
    Ok(())
}

fn key(what: &str, k: &Bound<'_, PyAny>) -> PyResult<String> {
    check_key(what, k)?;
    Ok(k.to_string())
}

fn check_key(what: &str, k: &Bound<'_, PyAny>) -> PyResult<()> {
    if k.is_instance_of::<PyString>() {
        return Ok(());
    }
    Err(PyValueError::new_err(format!("{what} keys must be strings, got {} ({})", short_repr(k), type_name(k))))
}

/// A measurement's value; `k` is a key `check_key` accepted (named in the error).
fn measurement(k: &Bound<'_, PyAny>, v: &Bound<'_, PyAny>) -> PyResult<f64> {
    let bad = || {
        let k = k.to_string();
        PyValueError::new_err(format!("measurement {k:?} must be a number, got {} ({})", short_repr(v), type_name(v)))
    };
    if v.is_instance_of::<PyBool>() || v.is_instance_of::<PyString>() {
        return Err(bad());
    }
    v.extract::<f64>().map_err(|_| bad())
}

/// Emits an event, delivered synchronously in this thread to every matching handler.
///
/// The name and the payload's types are checked even when nothing is attached; the payload is
/// copied only for a listener (a dict is checked in place).
#[pyfunction]
#[pyo3(signature = (name, measurements=None, metadata=None))]
pub fn emit(name: &str, measurements: Option<Bound<'_, PyAny>>, metadata: Option<Bound<'_, PyAny>>) -> PyResult<()> {
    bus::validate_name(name).map_err(core_error)?;
    let (measurements, metadata) = (measurements.as_ref(), metadata.as_ref());
    for_each_item("measurements", measurements, |k, v| {
        check_key("measurement", k)?;
        measurement(k, v).map(|_| ())
    })?;
    for_each_item("metadata", metadata, |k, _| check_key("metadata", k))?;
    if !bus::has_subscribers(name) {
        return Ok(());
    }
    let (mut m, mut d) = (BTreeMap::new(), BTreeMap::new());
    for_each_item("measurements", measurements, |k, v| {
        m.insert(k.to_string(), measurement(k, v)?);
        Ok(())
    })?;
    for_each_item("metadata", metadata, |k, v| {
        d.insert(k.to_string(), to_value(v)?);
        Ok(())
    })?;
    bus::emit_event(name, m, d).map_err(core_error)
}

/// Attaches `handler(event)` under `id` for events matching `patterns`. A handler that raises is
/// detached, reported as a `liveness.HandlerWarning` and as the event `liveness.handler.failure`.
#[pyfunction]
pub fn attach(id: &str, patterns_: Bound<'_, PyAny>, handler: Bound<'_, PyAny>) -> PyResult<()> {
    let patterns = patterns("patterns", Some(&patterns_))?;
    if !handler.is_callable() {
        return Err(PyTypeError::new_err(format!(
            "attach: the handler must be callable, got {}",
            short_repr(&handler)
        )));
    }
    let handler = handler.unbind();
    let call = move |event: &bus::Event| -> Result<(), String> {
        Python::attach(|py| {
            let event = Event { inner: Arc::new(event.clone()) };
            let outcome = Py::new(py, event).and_then(|e| handler.call1(py, (e,)));
            outcome.map(|_| ()).map_err(|err| {
                let kind = err.get_type(py).name().map(|n| n.to_string()).unwrap_or_default();
                let text = err.value(py).str().map(|s| s.to_string()).unwrap_or_default();
                if text.is_empty() { kind } else { format!("{kind}: {text}") }
            })
        })
    };
    let report = |failure: &bus::HandlerFailure| {
        Python::attach(|py| {
            let text = format!(
                "liveness: handler {:?} raised on event {:?} and was detached: {}",
                failure.handler_id, failure.event, failure.error
            );
            let Ok(category) = HANDLER_WARNING.import(py, "liveness._errors", "HandlerWarning") else { return };
            let Ok(message) = std::ffi::CString::new(text) else { return };
            if let Err(err) = PyErr::warn(py, category.as_any(), &message, 1) {
                // Warnings turned into errors (-W error) cannot be raised into the emitter.
                err.write_unraisable(py, None);
            }
        })
    };
    bus::attach_with_reporter(id, &patterns, call, report).map_err(core_error)
}

/// Detaches the handler `id`; `False` when none was attached under that id.
#[pyfunction]
pub fn detach(id: &str) -> bool {
    bus::detach(id)
}

/// Whether emitting `name` now would reach any handler.
#[pyfunction]
pub fn has_subscribers(name: &str) -> PyResult<bool> {
    bus::validate_name(name).map_err(core_error)?;
    Ok(bus::has_subscribers(name))
}

/// An emitted event, as handlers and captures see it.
#[pyclass(module = "liveness._native", frozen)]
pub struct Event {
    inner: Arc<bus::Event>,
}

#[pymethods]
impl Event {
    #[getter]
    fn name(&self) -> &str {
        &self.inner.name
    }

    #[getter]
    fn measurements<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let dict = PyDict::new(py);
        for (k, v) in &self.inner.measurements {
            dict.set_item(k, v)?;
        }
        Ok(dict)
    }

    #[getter]
    fn metadata<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        map_to_dict(py, &self.inner.metadata)
    }

    /// Process-wide emit order.
    #[getter]
    fn seq(&self) -> u64 {
        self.inner.seq
    }

    /// Seconds since the bus started (monotonic).
    #[getter]
    fn at(&self) -> f64 {
        self.inner.at.as_secs_f64()
    }

    /// The emitting thread's name (or id).
    #[getter]
    fn thread(&self) -> &str {
        &self.inner.thread
    }

    /// The event as JSON text (objects kept by reference appear as their repr).
    fn to_json(&self) -> String {
        self.inner.to_json()
    }

    fn __repr__(&self) -> String {
        format!("<Event #{} {}>", self.inner.seq, self.inner.summary())
    }
}

/// Records every matching event, from any thread, while open.
#[pyclass(module = "liveness._native")]
pub struct Capture {
    inner: Option<bus::Capture>,
    closed: Vec<Arc<bus::Event>>,
}

fn wrap(py: Python<'_>, events: &[Arc<bus::Event>]) -> PyResult<Vec<Py<Event>>> {
    events.iter().map(|e| Py::new(py, Event { inner: e.clone() })).collect()
}

#[pymethods]
impl Capture {
    #[new]
    fn new(patterns_: Bound<'_, PyAny>) -> PyResult<Capture> {
        let patterns = patterns("patterns", Some(&patterns_))?;
        let inner = bus::Capture::open(&patterns).map_err(core_error)?;
        Ok(Capture { inner: Some(inner), closed: Vec::new() })
    }

    /// The events recorded so far, in emit order.
    fn events(&self, py: Python<'_>) -> PyResult<Vec<Py<Event>>> {
        match &self.inner {
            Some(c) => wrap(py, &c.events()),
            None => wrap(py, &self.closed),
        }
    }

    /// Stops recording (idempotent).
    fn close(&mut self) {
        if let Some(c) = self.inner.take() {
            self.closed = c.close();
        }
    }

    #[getter]
    fn closed(&self) -> bool {
        self.inner.is_none()
    }
}

fn core_events(events: &Bound<'_, PyAny>) -> PyResult<Vec<Arc<bus::Event>>> {
    let mut out = Vec::new();
    for item in events.try_iter()? {
        let item = item?;
        let event = item
            .cast::<Event>()
            .map_err(|_| PyTypeError::new_err(format!("expected liveness events, got {}", short_repr(&item))))?;
        out.push(event.get().inner.clone());
    }
    Ok(out)
}

/// Runs a check with `where_` translated: None, a dict of expected metadata, or a predicate.
fn with_where<R>(
    py: Python<'_>,
    where_: Option<&Bound<'_, PyAny>>,
    check: impl FnOnce(&Where) -> Result<R, liveness::Error>,
) -> PyResult<R> {
    let Some(where_) = where_.filter(|w| !w.is_none()) else {
        return check(&Where::Any).map_err(core_error);
    };
    if where_.is_callable() {
        // The predicate's own exception wins over the assertion's report.
        let raised: RefCell<Option<PyErr>> = RefCell::new(None);
        let predicate = |event: &bus::Event| -> bool {
            if raised.borrow().is_some() {
                return false;
            }
            let outcome = Py::new(py, Event { inner: Arc::new(event.clone()) })
                .and_then(|e| where_.call1((e,)))
                .and_then(|r| r.is_truthy());
            outcome.unwrap_or_else(|err| {
                *raised.borrow_mut() = Some(err);
                false
            })
        };
        let result = check(&Where::Predicate(&predicate));
        if let Some(err) = raised.into_inner() {
            return Err(err);
        }
        return result.map_err(core_error);
    }
    let mut want = BTreeMap::new();
    for (k, v) in items("where", Some(where_)).map_err(|_| {
        PyTypeError::new_err(format!(
            "`where` must be a dict of expected metadata or a predicate, got {}",
            short_repr(where_)
        ))
    })? {
        want.insert(key("where", &k)?, to_value(&v)?);
    }
    check(&Where::Metadata(want)).map_err(core_error)
}

fn count_arg(count: Option<&Bound<'_, PyAny>>) -> PyResult<Option<usize>> {
    let Some(count) = count.filter(|c| !c.is_none()) else { return Ok(None) };
    if count.is_instance_of::<PyBool>() || !count.is_instance_of::<PyInt>() {
        return Err(PyTypeError::new_err(format!("`count` must be a whole number, got {}", short_repr(count))));
    }
    let n: i128 = count.extract()?;
    usize::try_from(n).map(Some).map_err(|_| PyValueError::new_err(format!("`count` must not be negative, got {n}")))
}

/// Raises `liveness.EventAssertionError` unless a matching event (or exactly `count`) is in `events`.
#[pyfunction]
#[pyo3(signature = (events, pattern, where_=None, count=None))]
pub fn check_emitted(
    py: Python<'_>,
    events: Bound<'_, PyAny>,
    pattern: &str,
    where_: Option<Bound<'_, PyAny>>,
    count: Option<Bound<'_, PyAny>>,
) -> PyResult<()> {
    let events = core_events(&events)?;
    let count = count_arg(count.as_ref())?;
    with_where(py, where_.as_ref(), |w| bus::check_emitted(&events, pattern, w, count))
}

/// Raises `liveness.EventAssertionError` if a matching event is in `events`.
#[pyfunction]
#[pyo3(signature = (events, pattern, where_=None))]
pub fn check_not_emitted(
    py: Python<'_>,
    events: Bound<'_, PyAny>,
    pattern: &str,
    where_: Option<Bound<'_, PyAny>>,
) -> PyResult<()> {
    let events = core_events(&events)?;
    with_where(py, where_.as_ref(), |w| bus::check_not_emitted(&events, pattern, w))
}

/// Raises `liveness.EventAssertionError` unless events match `patterns` in this order.
#[pyfunction]
pub fn check_emitted_in_order(events: Bound<'_, PyAny>, patterns_: Bound<'_, PyAny>) -> PyResult<()> {
    let events = core_events(&events)?;
    let patterns = patterns("patterns", Some(&patterns_))?;
    bus::check_emitted_in_order(&events, &patterns).map_err(core_error)
}
