//! The `tracing` bridge (feature `tracing`): the events and spans code under test already
//! records with [`tracing`](https://docs.rs/tracing) become liveness events, so a test asserts on
//! them with [`crate::emitted`] without that code knowing about liveness.
//!
//! ```
//! use liveness::emitted;
//! use tracing_subscriber::layer::SubscriberExt;
//!
//! let subscriber = tracing_subscriber::registry().with(liveness::tracing::EventLayer::new());
//! tracing::subscriber::with_default(subscriber, || {
//!     emitted("shop.cart").with_meta("message", "item added").with_meta("sku", 42).assert(|| {
//!         // the code under test:
//!         tracing::info!(target: "shop::cart", sku = 42, "item added");
//!     });
//! });
//! ```
//!
//! **The event's name** is the event's `event` field when it has one that is a valid event name
//! (`tracing::info!(event = "breaker.opened", …)`); otherwise its target, with `::` (and `.`)
//! separating segments and every character a segment does not admit replaced by `_`
//! (`shop::cart` → `shop.cart`, `a::b c` → `a.b_c`). The message is *not* part of the name: a message with
//! interpolated values would make a different name per value; match it in the metadata.
//!
//! **Metadata**: `level` (`"INFO"`…), `target`, `message` (the formatted message, when there is
//! one), then every field with its type kept — integers (`u64`/`i128`/`u128` beyond `i64` as their
//! decimal text, which is exact), floats, booleans, strings, and anything else by its `Debug` text.
//! A field named like one of the first three replaces it.
//!
//! **Spans** (off by default: [`EventLayer::with_spans`]): when a span closes, an event named as
//! above from the span's fields (its `event` field, else target) followed by the span's name,
//! with the span's fields (as recorded by then) as metadata, `span` the span's name, and the
//! measurement `duration_ms`, the time from the span's creation to its close.
//!
//! The event is emitted in the thread's current scope, so a scoped capture
//! ([`crate::events::Emitted::scoped`]) sees the `tracing` events of its own test only. With no
//! capture open, the layer returns after one atomic load, before looking at any field.

use std::collections::BTreeMap;
use std::fmt;
use std::time::Instant;

use tracing_core::field::{Field, Visit};
use tracing_core::span::{Attributes, Id, Record};
use tracing_core::{Event as TracingEvent, Subscriber};
use tracing_subscriber::layer::{Context, Layer};
use tracing_subscriber::registry::LookupSpan;

use crate::events::{Number, Value, any_attached, bridge_event_name, bridge_name, emit_event, validate_name};

/// The layer: add it to a `tracing_subscriber` registry (`registry().with(EventLayer::new())`).
#[derive(Debug, Clone, Default)]
pub struct EventLayer {
    spans: bool,
}

impl EventLayer {
    pub fn new() -> Self {
        EventLayer { spans: false }
    }

    /// Also turn every closing span into an event (see the module's documentation).
    pub fn with_spans(mut self) -> Self {
        self.spans = true;
        self
    }
}

/// A span's fields and start, kept in the registry's extensions until it closes.
struct SpanData {
    fields: BTreeMap<String, Value>,
    started: Instant,
}

impl<S> Layer<S> for EventLayer
where
    S: Subscriber + for<'a> LookupSpan<'a>,
{
    fn on_event(&self, event: &TracingEvent<'_>, _ctx: Context<'_, S>) {
        if !any_attached() {
            return;
        }
        let meta = event.metadata();
        let mut fields = Fields::default();
        event.record(&mut fields);
        let mut metadata = BTreeMap::new();
        metadata.insert("level".to_owned(), Value::from(meta.level().as_str()));
        metadata.insert("target".to_owned(), Value::from(meta.target()));
        let name = bridge_event_name(fields.event.take().as_deref(), meta.target());
        metadata.extend(fields.values);
        // The name was built valid; a failing emit can only be a handler's, already reported.
        let _ = emit_event(&name, BTreeMap::new(), metadata);
    }

    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        if !self.spans {
            return;
        }
        let mut fields = Fields::default();
        attrs.record(&mut fields);
        if let Some(event) = fields.event.take() {
            fields.values.insert(EVENT_FIELD.to_owned(), Value::from(event));
        }
        if let Some(span) = ctx.span(id) {
            span.extensions_mut().insert(SpanData { fields: fields.values, started: Instant::now() });
        }
    }

    fn on_record(&self, id: &Id, values: &Record<'_>, ctx: Context<'_, S>) {
        if !self.spans {
            return;
        }
        let Some(span) = ctx.span(id) else { return };
        let mut fields = Fields::default();
        values.record(&mut fields);
        if let Some(data) = span.extensions_mut().get_mut::<SpanData>() {
            if let Some(event) = fields.event.take() {
                fields.values.insert(EVENT_FIELD.to_owned(), Value::from(event));
            }
            data.fields.extend(fields.values);
        }
    }

    fn on_close(&self, id: Id, ctx: Context<'_, S>) {
        if !self.spans || !any_attached() {
            return;
        }
        let Some(span) = ctx.span(&id) else { return };
        let Some(data) = span.extensions_mut().remove::<SpanData>() else { return };
        let meta = span.metadata();
        let explicit = match data.fields.get(EVENT_FIELD) {
            Some(Value::Str(event)) => Some(event.as_str()),
            _ => None,
        };
        let base = bridge_event_name(explicit, meta.target());
        let name = format!("{base}.{}", segment(meta.name()));
        let mut metadata = BTreeMap::new();
        metadata.insert("level".to_owned(), Value::from(meta.level().as_str()));
        metadata.insert("target".to_owned(), Value::from(meta.target()));
        metadata.insert("span".to_owned(), Value::from(meta.name()));
        metadata.extend(data.fields.into_iter().filter(|(k, _)| k != EVENT_FIELD));
        let duration = data.started.elapsed().as_secs_f64() * 1000.0;
        let measurements = BTreeMap::from([("duration_ms".to_owned(), Number::Float(duration))]);
        let _ = emit_event(&name, measurements, metadata);
    }
}

/// The field that names the event explicitly.
const EVENT_FIELD: &str = "event";

fn segment(text: &str) -> String {
    // A span's name is one segment: its dots are not separators.
    bridge_name(text).replace('.', "_")
}

/// What a visit of a tracing event's fields collects.
#[derive(Default)]
struct Fields {
    /// A valid `event` field: the explicit name.
    event: Option<String>,
    values: BTreeMap<String, Value>,
}

impl Fields {
    fn put(&mut self, field: &Field, value: Value) {
        self.values.insert(field.name().to_owned(), value);
    }
}

impl Visit for Fields {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == EVENT_FIELD && validate_name(value).is_ok() {
            self.event = Some(value.to_owned());
        } else {
            self.put(field, Value::from(value));
        }
    }

    fn record_i64(&mut self, field: &Field, value: i64) {
        self.put(field, Value::Int(value));
    }

    fn record_u64(&mut self, field: &Field, value: u64) {
        self.put(field, i64::try_from(value).map_or_else(|_| Value::Str(value.to_string()), Value::Int));
    }

    fn record_i128(&mut self, field: &Field, value: i128) {
        self.put(field, i64::try_from(value).map_or_else(|_| Value::Str(value.to_string()), Value::Int));
    }

    fn record_u128(&mut self, field: &Field, value: u128) {
        self.put(field, i64::try_from(value).map_or_else(|_| Value::Str(value.to_string()), Value::Int));
    }

    fn record_f64(&mut self, field: &Field, value: f64) {
        self.put(field, Value::Float(value));
    }

    fn record_bool(&mut self, field: &Field, value: bool) {
        self.put(field, Value::Bool(value));
    }

    fn record_error(&mut self, field: &Field, value: &(dyn std::error::Error + 'static)) {
        self.put(field, Value::Str(value.to_string()));
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        // `message` arrives here as format_args!: its Debug text is the formatted message.
        let text = format!("{value:?}");
        if field.name() == EVENT_FIELD && validate_name(&text).is_ok() {
            self.event = Some(text);
        } else {
            self.put(field, Value::Str(text));
        }
    }
}
