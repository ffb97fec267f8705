//! The event bus from Python: emit, attach/detach, captures and the assertion checks.
//!
//! Payloads are snapshotted at emit time: plain data (None, bool, int, float, str, and lists,
//! tuples and str-keyed dicts of them) is copied into the core; any other object is kept by
//! reference (`Value::Host`) and comes back as the very same object.

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use liveness::events::{self as bus, FieldMap, HostValue, MAX_METADATA_LEVEL, MAX_PAYLOAD_DEPTH, Number, Value, Where};
use pyo3::exceptions::{PyException, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyMapping, PyString, PyTuple};

use crate::errors::{HANDLER_WARNING, core_error};
use crate::gate;
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
        gate::attach(|py| short_repr(self.0.bind(py)))
    }

    fn equals(&self, other: &dyn HostValue) -> bool {
        match other.as_any().downcast_ref::<PyHost>() {
            Some(other) => gate::attach(|py| self.0.bind(py).eq(other.0.bind(py)).unwrap_or(false)),
            None => self.text() == other.text(),
        }
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// Python values → core values (data copied, anything else by reference), bounded: no list or
/// map deeper than the core's [`MAX_METADATA_LEVEL`], the metadata map itself being level 1 (what
/// the C binding's JSON accepts), and a container that contains itself is refused, instead of recursing
/// until the stack overflows.
struct Converter {
    /// The metadata map itself (its address), which its values must not contain either.
    root: Option<usize>,
    /// The containers on the path from the metadata map to the value at hand (their addresses).
    open: Vec<usize>,
    /// The same path as keys and indices, for the error (`metadata["l"][0]`).
    path: Vec<String>,
}

impl Converter {
    fn new(metadata: Option<&Bound<'_, PyAny>>) -> Converter {
        Converter { root: metadata.map(|m| m.as_ptr() as usize), open: Vec::new(), path: Vec::new() }
    }

    /// One metadata entry (`key` is a str); `build` false only checks (the idle emit's path:
    /// plain values cost nothing more than the key check).
    fn entry(&mut self, key: &Bound<'_, PyAny>, value: &Bound<'_, PyAny>, build: bool) -> PyResult<Option<Value>> {
        if !build && !is_container(value) {
            return Ok(None);
        }
        self.path.push(format!("[{:?}]", key.to_string()));
        let out = self.value(value, build);
        self.path.pop();
        out
    }

    fn where_(&self, upto: usize) -> String {
        const SHOWN: usize = 8;
        let mut text = String::from("metadata");
        for (i, part) in self.path.iter().take(upto).enumerate() {
            if i == SHOWN && upto > SHOWN + 1 {
                text.push_str(&format!("…({} more)", upto - SHOWN));
                break;
            }
            text.push_str(part);
        }
        text
    }

    fn value(&mut self, obj: &Bound<'_, PyAny>, build: bool) -> PyResult<Option<Value>> {
        let list = obj.is_exact_instance_of::<PyList>() || obj.is_exact_instance_of::<PyTuple>();
        let dict = match obj.cast_exact::<PyDict>() {
            Ok(d) if d.keys().iter().all(|k| k.is_exact_instance_of::<PyString>()) => Some(d),
            _ => None,
        };
        if !list && dict.is_none() {
            return if build { to_scalar(obj).map(Some) } else { Ok(None) };
        }
        let address = obj.as_ptr() as usize;
        if self.root == Some(address) {
            return Err(PyValueError::new_err(format!(
                "invalid metadata: {} is the metadata dict itself; metadata must not contain itself",
                self.where_(self.path.len()),
            )));
        }
        if let Some(at) = self.open.iter().position(|&a| a == address) {
            return Err(PyValueError::new_err(format!(
                "invalid metadata: {} contains itself ({} is {}); metadata must be plain data or \
                 objects kept by reference, not a cycle of lists and dicts",
                self.where_(1),
                self.where_(self.path.len()),
                self.where_(at + 1),
            )));
        }
        // The metadata map is level 1, so this container is level `open.len() + 2`.
        if self.open.len() + 2 > MAX_METADATA_LEVEL {
            return Err(PyValueError::new_err(format!(
                "invalid metadata: {} nests lists and dicts deeper than {MAX_PAYLOAD_DEPTH} levels (the metadata \
                 dict included), at {}",
                self.where_(1),
                self.where_(self.path.len()),
            )));
        }
        self.open.push(address);
        let out = match dict {
            None => self.items(obj, build),
            Some(dict) => self.map(dict, build),
        };
        self.open.pop();
        out
    }

    fn items(&mut self, obj: &Bound<'_, PyAny>, build: bool) -> PyResult<Option<Value>> {
        let mut items = Vec::new();
        for (i, item) in obj.try_iter()?.enumerate() {
            self.path.push(format!("[{i}]"));
            let out = self.value(&item?, build);
            self.path.pop();
            if let Some(v) = out? {
                items.push(v);
            }
        }
        Ok(build.then_some(Value::List(items)))
    }

    fn map(&mut self, dict: &Bound<'_, PyDict>, build: bool) -> PyResult<Option<Value>> {
        let mut map = BTreeMap::new();
        for (k, v) in dict.iter() {
            let k = k.extract::<String>()?;
            self.path.push(format!("[{k:?}]"));
            let out = self.value(&v, build);
            self.path.pop();
            if let Some(v) = out? {
                map.insert(k, v);
            }
        }
        Ok(build.then_some(Value::Map(map)))
    }
}

fn is_container(obj: &Bound<'_, PyAny>) -> bool {
    obj.is_exact_instance_of::<PyList>()
        || obj.is_exact_instance_of::<PyTuple>()
        || obj.is_exact_instance_of::<PyDict>()
}

/// A Python value that is not a list, tuple or str-keyed dict → a core value.
fn to_scalar(obj: &Bound<'_, PyAny>) -> PyResult<Value> {
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
    }
    Ok(Value::Host(Arc::new(PyHost(obj.clone().unbind()))))
}

/// A Python value → a core value (a `where` dict's expected values), bounded like metadata.
fn to_value(key: &Bound<'_, PyAny>, obj: &Bound<'_, PyAny>) -> PyResult<Value> {
    Ok(Converter::new(None).entry(key, obj, true)?.unwrap_or(Value::Null))
}

/// A core value → Python (objects Python passed by reference come back as themselves; from another
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

fn map_to_dict<'py, 'a, K: AsRef<str>>(
    py: Python<'py>,
    map: impl IntoIterator<Item = (K, &'a Value)>,
) -> PyResult<Bound<'py, PyDict>> {
    let dict = PyDict::new(py);
    for (k, v) in map {
        let k = k.as_ref();
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
/// An `int` stays an integer (a float if it does not fit in 64 bits), anything else that converts
/// to `float` (a `float`, a `Decimal`, numpy's scalars) is a float.
fn measurement(k: &Bound<'_, PyAny>, v: &Bound<'_, PyAny>) -> PyResult<Number> {
    let bad = || {
        let k = k.to_string();
        PyValueError::new_err(format!("measurement {k:?} must be a number, got {} ({})", short_repr(v), type_name(v)))
    };
    if v.is_instance_of::<PyBool>() || v.is_instance_of::<PyString>() {
        return Err(bad());
    }
    if v.is_instance_of::<PyInt>()
        && let Ok(i) = v.extract::<i64>()
    {
        return Ok(Number::Int(i));
    }
    v.extract::<f64>().map(Number::Float).map_err(|_| bad())
}

thread_local! {
    /// Python `emit` calls this thread is inside.
    static PY_EMITS: Cell<usize> = const { Cell::new(0) };
    /// A `BaseException` that is not an `Exception` (KeyboardInterrupt, SystemExit…) raised by a
    /// Python handler during this thread's Python `emit`: raised from that `emit` once the
    /// dispatch returned, and the remaining Python handlers of the emit are not called.
    static STOP: RefCell<Option<PyErr>> = const { RefCell::new(None) };
}

/// Emits an event, delivered synchronously in this thread to every matching handler.
///
/// The name, the payload's types and the metadata's nesting are checked even when nothing is
/// attached; the payload is copied only for a listener (a dict is checked in place).
#[pyfunction]
#[pyo3(signature = (name, measurements=None, metadata=None))]
pub fn emit(
    py: Python<'_>,
    name: &str,
    measurements: Option<Bound<'_, PyAny>>,
    metadata: Option<Bound<'_, PyAny>>,
) -> PyResult<()> {
    let _section = gate::enter(py);
    bus::validate_name(name).map_err(core_error)?;
    let (measurements, metadata) = (measurements.as_ref(), metadata.as_ref());
    for_each_item("measurements", measurements, |k, v| {
        check_key("measurement", k)?;
        measurement(k, v).map(|_| ())
    })?;
    let listened = bus::has_subscribers(name);
    let mut converter = Converter::new(metadata);
    let mut d = FieldMap::new();
    for_each_item("metadata", metadata, |k, v| {
        check_key("metadata", k)?;
        if let Some(value) = converter.entry(k, v, listened)? {
            d.insert(k.to_string(), value);
        }
        Ok(())
    })?;
    if !listened {
        return Ok(());
    }
    let mut m = FieldMap::new();
    for_each_item("measurements", measurements, |k, v| {
        m.insert(k.to_string(), measurement(k, v)?);
        Ok(())
    })?;
    // Read only past the nothing-listens return above: an idle emit never looks at the context.
    let scope = current_scope(py)?;
    PY_EMITS.with(|n| n.set(n.get() + 1));
    let outcome = bus::emit_event_in(name, m, d, scope);
    PY_EMITS.with(|n| n.set(n.get() - 1));
    if let Some(stop) = STOP.with(|s| s.borrow_mut().take()) {
        return Err(stop);
    }
    outcome.map_err(core_error)
}

/// Attaches `handler(event)` under `id` for events matching `patterns`. A handler that raises is
/// detached, reported as a `liveness.HandlerWarning` and as the event `liveness.handler.failure`;
/// one that raises a `BaseException` that is not an `Exception` (KeyboardInterrupt, SystemExit)
/// stays attached and the exception propagates from the Python `emit` that called it.
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
        let in_python_emit = PY_EMITS.with(Cell::get) > 0;
        if in_python_emit && STOP.with(|s| s.borrow().is_some()) {
            return Ok(()); // the emit is being stopped by an earlier handler
        }
        gate::attach(|py| {
            let event = Event { inner: Arc::new(event.clone()) };
            let outcome = Py::new(py, event).and_then(|e| handler.call1(py, (e,)));
            match outcome {
                Ok(_) => Ok(()),
                Err(err) if in_python_emit && !err.is_instance_of::<PyException>(py) => {
                    STOP.with(|s| {
                        s.borrow_mut().get_or_insert(err);
                    });
                    Ok(())
                }
                Err(err) => {
                    let kind = err.get_type(py).name().map(|n| n.to_string()).unwrap_or_default();
                    let text = err.value(py).str().map(|s| s.to_string()).unwrap_or_default();
                    Err(if text.is_empty() { kind } else { format!("{kind}: {text}") })
                }
            }
        })
    };
    let report = |failure: &bus::HandlerFailure| {
        gate::attach(|py| {
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
            match v {
                Number::Int(i) => dict.set_item(k, i)?,
                Number::Float(f) => dict.set_item(k, f)?,
            }
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

/// A capture scope (SPEC §5, scoped captures): the core's, compared by identity.
#[pyclass(module = "liveness._native", frozen, eq)]
pub struct Scope {
    inner: bus::Scope,
}

impl PartialEq for Scope {
    fn eq(&self, other: &Scope) -> bool {
        self.inner == other.inner
    }
}

#[pymethods]
impl Scope {
    /// A new scope nested in `parent` (`None`: inside no other).
    #[staticmethod]
    #[pyo3(signature = (parent=None))]
    fn child_of(parent: Option<PyRef<'_, Scope>>) -> Scope {
        Scope { inner: bus::Scope::child_of(parent.as_ref().map(|p| &p.inner)) }
    }

    /// A number unique to this scope in the process.
    #[getter]
    fn id(&self) -> u64 {
        self.inner.id()
    }

    #[getter]
    fn parent(&self) -> Option<Scope> {
        self.inner.parent().map(|p| Scope { inner: p.clone() })
    }

    /// Whether `other` is this scope or nested in it.
    fn contains(&self, other: PyRef<'_, Scope>) -> bool {
        self.inner.contains(&other.inner)
    }

    fn __hash__(&self) -> u64 {
        self.inner.id()
    }

    fn __repr__(&self) -> String {
        format!("<Scope {}>", self.inner.id())
    }
}

/// The `ContextVar` holding the current Python scope (`liveness._native.current_scope`): asyncio
/// and anyio/trio tasks inherit it, threads do not (SPEC §5).
static CURRENT_SCOPE: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

pub fn scope_var(py: Python<'_>) -> PyResult<&Bound<'_, PyAny>> {
    CURRENT_SCOPE
        .get_or_try_init(py, || {
            let var = py.import("contextvars")?.getattr("ContextVar")?;
            let kwargs = PyDict::new(py);
            kwargs.set_item("default", py.None())?;
            Ok(var.call(("liveness_scope",), Some(&kwargs))?.unbind())
        })
        .map(|v| v.bind(py))
}

/// The scope of the Python code running now: the context variable's.
fn current_scope(py: Python<'_>) -> PyResult<Option<bus::Scope>> {
    let value = scope_var(py)?.call_method0("get")?;
    if value.is_none() {
        return Ok(None);
    }
    let scope = value.cast::<Scope>().map_err(|_| {
        PyTypeError::new_err(format!("liveness's current scope must be a liveness Scope, got {}", short_repr(&value)))
    })?;
    Ok(Some(scope.get().inner.clone()))
}

/// The event name a bridge gives a logger, a span or a target (SPEC §5, bridges): the core's rule.
/// `explicit` is the record's `event` extra or the span's `event` attribute, whatever its type:
/// it names the event only when it is a string that is a valid event name.
#[pyfunction]
#[pyo3(signature = (path, explicit=None))]
pub fn bridge_name(path: &str, explicit: Option<&Bound<'_, PyAny>>) -> String {
    let explicit = explicit.and_then(|value| value.extract::<String>().ok());
    bus::bridge_event_name(explicit.as_deref(), path)
}

/// Whether any handler or capture at all is attached: the bridges' fast path, one atomic load.
#[pyfunction]
pub fn any_attached() -> bool {
    bus::any_attached()
}

/// Records every matching event, from any thread, while open (with `scope`: only those emitted
/// in that scope, a scope nested in it, or no scope — the core's rule).
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
    #[pyo3(signature = (patterns_, scope=None))]
    fn new(patterns_: Bound<'_, PyAny>, scope: Option<PyRef<'_, Scope>>) -> PyResult<Capture> {
        let patterns = patterns("patterns", Some(&patterns_))?;
        let inner = match scope {
            None => bus::Capture::open(&patterns),
            Some(scope) => bus::Capture::open_scoped(&patterns, &scope.inner),
        }
        .map_err(core_error)?;
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
        let name = key("where", &k)?;
        want.insert(name, to_value(&k, &v)?);
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
    let _section = gate::enter(py);
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
    let _section = gate::enter(py);
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
