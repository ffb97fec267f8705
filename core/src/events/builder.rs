//! `liveness::event("a.b").measure("n", 1.0).meta("k", "v").emit()`: the Rust way to emit.

use super::bus::{emit_event, has_subscribers};
use super::fields::FieldMap;
use super::name::{EventName, validate_name};
use super::value::{Number, Value};
use crate::error::Error;

/// Starts an event; nothing is allocated until a payload entry is added.
pub fn event(name: &str) -> EventBuilder<'_> {
    EventBuilder { name, measurements: FieldMap::new(), metadata: FieldMap::new() }
}

impl EventName {
    /// An event under this pre-validated name.
    pub fn event(&self) -> EventBuilder<'_> {
        event(self.as_str())
    }

    /// Emits with no payload: with nothing attached, one atomic load.
    #[inline]
    pub fn emit(&self) {
        if has_subscribers_fast() {
            let _ = emit_event(self.as_str(), FieldMap::new(), FieldMap::new());
        }
    }
}

#[inline]
fn has_subscribers_fast() -> bool {
    super::bus::any_attached()
}

/// Writes an invalid name's error to stderr the first time it is seen: a loop emitting a bad name
/// must not flood the output, and a bounded set keeps a stream of generated names from growing it.
fn warn_once(name: &str, error: &Error) {
    use std::collections::HashSet;
    use std::sync::{Mutex, OnceLock, PoisonError};
    const REMEMBERED: usize = 64;
    static WARNED: OnceLock<Mutex<HashSet<String>>> = OnceLock::new();
    let mut warned = WARNED.get_or_init(Default::default).lock().unwrap_or_else(PoisonError::into_inner);
    if warned.len() < REMEMBERED && warned.insert(name.to_owned()) {
        eprintln!("liveness: event {name:?} dropped: {error} (use try_emit() to handle the error)");
    }
}

/// An event being built.
#[must_use = "an event is only delivered by .emit()"]
pub struct EventBuilder<'a> {
    name: &'a str,
    measurements: FieldMap<Number>,
    metadata: FieldMap<Value>,
}

impl EventBuilder<'_> {
    /// A measurement: an integer (`i64`, `u32`, ...) stays an integer, a float a float.
    pub fn measure(mut self, key: &str, value: impl Into<Number>) -> Self {
        self.measurements.insert(key, value.into()); // a repeated key: the last value
        self
    }

    pub fn meta(mut self, key: &str, value: impl Into<Value>) -> Self {
        self.metadata.insert(key, value.into());
        self
    }

    /// Delivers the event to every matching handler, synchronously, in this thread. Emitting is
    /// telemetry, fire and forget (as with `tracing` or `log`): an invalid name is reported on
    /// stderr (once per name) and the event dropped; [`EventBuilder::try_emit`] returns the error.
    pub fn emit(self) {
        let name = self.name;
        if let Err(e) = self.try_emit() {
            warn_once(name, &e);
        }
    }

    /// [`EventBuilder::emit`], returning an invalid name's error instead of printing it.
    pub fn try_emit(self) -> Result<(), Error> {
        validate_name(self.name)?;
        if !has_subscribers_fast() {
            return Ok(());
        }
        emit_event(self.name, self.measurements, self.metadata)
    }

    /// Whether anyone would receive it.
    pub fn has_subscribers(&self) -> bool {
        has_subscribers(self.name)
    }
}
