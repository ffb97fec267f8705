//! One emitted event, snapshotted at emit time and shared by every handler that receives it.

use std::sync::Arc;
use std::time::Duration;

use compact_str::CompactString;

use super::fields::FieldMap;
use super::scope::Scope;
use super::value::{Number, Value, write_json_map, write_json_string};

/// An emitted event. `seq`, `at` and `thread` are filled in by the core.
///
/// Compact because a capture keeps every event it receives: the name and the keys are stored
/// inline up to 24 bytes, a few entries of each map inside the event, and the thread's name is
/// shared by all its events, so a typical captured event is one allocation.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub name: CompactString,
    pub measurements: FieldMap<Number>,
    pub metadata: FieldMap<Value>,
    /// Process-wide emit order.
    pub seq: u64,
    /// Monotonic time since the bus started.
    pub at: Duration,
    /// The emitting thread's name, or its id when unnamed (one string per thread, shared).
    pub thread: Arc<str>,
    /// The capture scope it was emitted in (none: outside every scope); what a scoped capture
    /// decides by. Not part of the event's JSON: it is an identity, not data.
    pub scope: Option<Scope>,
}

impl Event {
    /// A measurement's numeric value (an integer as `f64`); [`Event::measurements`] keeps its kind.
    pub fn measurement(&self, key: &str) -> Option<f64> {
        self.measurements.get(key).map(|n| n.as_f64())
    }

    pub fn meta(&self, key: &str) -> Option<&Value> {
        self.metadata.get(key)
    }

    /// `{"name":…,"measurements":{…},"metadata":{…},"seq":…,"at":seconds,"thread":…}`
    pub fn to_json(&self) -> String {
        let mut out = String::with_capacity(96);
        out.push_str("{\"name\":");
        write_json_string(&self.name, &mut out);
        out.push_str(",\"measurements\":");
        write_json_map(self.measurements.iter(), &mut out, |v, out| v.write_json(out));
        out.push_str(",\"metadata\":");
        write_json_map(self.metadata.iter(), &mut out, |v, out| v.write_json(out));
        out.push_str(&format!(",\"seq\":{},\"at\":{:?},\"thread\":", self.seq, self.at.as_secs_f64()));
        write_json_string(&self.thread, &mut out);
        out.push('}');
        out
    }

    /// A one-line summary for reports: `name {measurements} {metadata}`.
    pub fn summary(&self) -> String {
        let mut out = self.name.to_string();
        if !self.measurements.is_empty() {
            out.push(' ');
            write_json_map(self.measurements.iter(), &mut out, |v, out| v.write_json(out));
        }
        if !self.metadata.is_empty() {
            out.push(' ');
            write_json_map(self.metadata.iter(), &mut out, |v, out| out.push_str(&format!("{v:?}")));
        }
        out
    }
}
