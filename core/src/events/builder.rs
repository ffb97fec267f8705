//! `liveness::event("a.b").measure("n", 1.0).meta("k", "v").emit()`: the Rust way to emit.

use std::collections::BTreeMap;

use super::bus::{emit_event, has_subscribers};
use super::name::{EventName, validate_name};
use super::value::Value;
use crate::error::Error;

/// Starts an event; nothing is allocated until a payload entry is added.
pub fn event(name: &str) -> EventBuilder<'_> {
    EventBuilder { name, measurements: Vec::new(), metadata: Vec::new() }
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
            let _ = emit_event(self.as_str(), BTreeMap::new(), BTreeMap::new());
        }
    }
}

#[inline]
fn has_subscribers_fast() -> bool {
    super::bus::any_attached()
}

/// An event being built.
#[must_use = "an event is only delivered by .emit()"]
pub struct EventBuilder<'a> {
    name: &'a str,
    measurements: Vec<(String, f64)>,
    metadata: Vec<(String, Value)>,
}

impl EventBuilder<'_> {
    pub fn measure(mut self, key: &str, value: f64) -> Self {
        self.measurements.push((key.to_owned(), value));
        self
    }

    pub fn meta(mut self, key: &str, value: impl Into<Value>) -> Self {
        self.metadata.push((key.to_owned(), value.into()));
        self
    }

    /// Delivers the event to every matching handler, synchronously, in this thread.
    pub fn emit(self) -> Result<(), Error> {
        validate_name(self.name)?;
        if !has_subscribers_fast() {
            return Ok(());
        }
        emit_event(self.name, self.measurements.into_iter().collect(), self.metadata.into_iter().collect())
    }

    /// Whether anyone would receive it.
    pub fn has_subscribers(&self) -> bool {
        has_subscribers(self.name)
    }
}
