//! Event payloads across the boundary. The TypeScript layer sends a payload as JSON text with two
//! tags (a JavaScript object that is not data, kept by reference; a non-finite number), and gets
//! events back the same way, so a host object comes back as the very same object in JavaScript.

use std::any::Any;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use liveness::Value;
use liveness::events::{Event, HostValue};
use napi_derive::napi;
use serde_json::{Map, Number, Value as Json};

use crate::errors::{Result, invalid_argument};

/// Key of the tag for a JavaScript object kept by reference: `{"\u0000host": id, "text": "…"}`.
const HOST_TAG: &str = "\u{0}host";
/// Key of the tag for NaN and ±Infinity, which JSON cannot spell: `{"\u0000num": "NaN"}`.
const NUM_TAG: &str = "\u{0}num";

/// Host objects whose last core reference was dropped; the TypeScript registry forgets them.
static RELEASED: Mutex<Vec<f64>> = Mutex::new(Vec::new());

/// A JavaScript object held by the TypeScript registry under `id`; the core sees its text form.
#[derive(Debug)]
struct JsObject {
    id: f64,
    text: String,
}

impl HostValue for JsObject {
    fn text(&self) -> String {
        self.text.clone()
    }
    fn equals(&self, other: &dyn HostValue) -> bool {
        other.as_any().downcast_ref::<JsObject>().is_some_and(|o| o.id == self.id)
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

impl Drop for JsObject {
    fn drop(&mut self) {
        RELEASED.lock().unwrap_or_else(|e| e.into_inner()).push(self.id);
    }
}

/// Ids of JavaScript objects no event refers to any more (the registry may drop them).
#[napi(catch_unwind)]
pub fn take_released_host_ids() -> Vec<f64> {
    std::mem::take(&mut *RELEASED.lock().unwrap_or_else(|e| e.into_inner()))
}

fn number(n: &Number) -> Value {
    match n.as_i64() {
        Some(i) => Value::Int(i),
        None => Value::Float(n.as_f64().unwrap_or(f64::NAN)),
    }
}

fn tagged_number(text: &str) -> Option<f64> {
    match text {
        "NaN" => Some(f64::NAN),
        "Infinity" => Some(f64::INFINITY),
        "-Infinity" => Some(f64::NEG_INFINITY),
        _ => None,
    }
}

fn to_value(json: Json) -> Result<Value> {
    Ok(match json {
        Json::Null => Value::Null,
        Json::Bool(b) => Value::Bool(b),
        Json::Number(n) => number(&n),
        Json::String(s) => Value::Str(s),
        Json::Array(items) => Value::List(items.into_iter().map(to_value).collect::<Result<_>>()?),
        Json::Object(map) => {
            if let Some(id) = map.get(HOST_TAG).and_then(Json::as_f64) {
                let text = map.get("text").and_then(Json::as_str).unwrap_or("<object>").to_owned();
                return Ok(Value::Host(Arc::new(JsObject { id, text })));
            }
            if let Some(n) = map.get(NUM_TAG).and_then(Json::as_str).and_then(tagged_number) {
                return Ok(Value::Float(n));
            }
            Value::Map(map.into_iter().map(|(k, v)| Ok((k, to_value(v)?))).collect::<Result<_>>()?)
        }
    })
}

fn to_measurement(key: &str, json: Json) -> Result<f64> {
    match json {
        Json::Number(n) => Ok(n.as_f64().unwrap_or(f64::NAN)),
        Json::Object(map) => map
            .get(NUM_TAG)
            .and_then(Json::as_str)
            .and_then(tagged_number)
            .ok_or_else(|| invalid_argument(format!("measurement {key:?} must be a number"))),
        _ => Err(invalid_argument(format!("measurement {key:?} must be a number"))),
    }
}

/// A metadata map (or `where` map) from the TypeScript layer's JSON.
pub fn metadata_from_json(text: &str) -> Result<BTreeMap<String, Value>> {
    match serde_json::from_str::<Json>(text) {
        Ok(Json::Object(map)) => map.into_iter().map(|(k, v)| Ok((k, to_value(v)?))).collect(),
        Ok(_) => Err(invalid_argument("metadata must be an object with string keys")),
        Err(e) => Err(invalid_argument(format!("metadata is not serialisable: {e}"))),
    }
}

/// A measurements map from the TypeScript layer's JSON.
pub fn measurements_from_json(text: &str) -> Result<BTreeMap<String, f64>> {
    match serde_json::from_str::<Json>(text) {
        Ok(Json::Object(map)) => map.into_iter().map(|(k, v)| Ok((k.clone(), to_measurement(&k, v)?))).collect(),
        Ok(_) => Err(invalid_argument("measurements must be an object of numbers")),
        Err(e) => Err(invalid_argument(format!("measurements are not serialisable: {e}"))),
    }
}

fn json_number(n: f64) -> Json {
    if n.is_finite() {
        if n.fract() == 0.0 && n.abs() < 9.0e15 {
            return Json::from(n as i64);
        }
        return Number::from_f64(n).map(Json::Number).unwrap_or(Json::Null);
    }
    let text = if n.is_nan() {
        "NaN"
    } else if n > 0.0 {
        "Infinity"
    } else {
        "-Infinity"
    };
    let mut tag = Map::new();
    tag.insert(NUM_TAG.to_owned(), Json::from(text));
    Json::Object(tag)
}

fn from_value(v: &Value) -> Json {
    match v {
        Value::Null => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Int(i) => Json::from(*i),
        Value::Float(f) => json_number(*f),
        Value::Str(s) => Json::from(s.as_str()),
        Value::List(items) => Json::Array(items.iter().map(from_value).collect()),
        Value::Map(map) => Json::Object(map.iter().map(|(k, v)| (k.clone(), from_value(v))).collect()),
        Value::Host(h) => match h.as_any().downcast_ref::<JsObject>() {
            // Our own object: JavaScript gets the same object back.
            Some(js) => {
                let mut tag = Map::new();
                tag.insert(HOST_TAG.to_owned(), Json::from(js.id));
                tag.insert("text".to_owned(), Json::from(js.text.as_str()));
                Json::Object(tag)
            }
            // Another language's object: its text form (SPEC §5).
            None => Json::from(h.text()),
        },
    }
}

/// An event as the JSON the TypeScript layer revives (`atMs`: ms since the bus started).
pub fn event_json(e: &Event) -> Json {
    let mut o = Map::new();
    o.insert("name".into(), Json::from(e.name.as_str()));
    o.insert(
        "measurements".into(),
        Json::Object(e.measurements.iter().map(|(k, v)| (k.clone(), json_number(*v))).collect()),
    );
    o.insert("metadata".into(), Json::Object(e.metadata.iter().map(|(k, v)| (k.clone(), from_value(v))).collect()));
    o.insert("seq".into(), Json::from(e.seq));
    o.insert("atMs".into(), json_number(e.at.as_secs_f64() * 1000.0));
    o.insert("thread".into(), Json::from(e.thread.as_str()));
    Json::Object(o)
}

pub fn event_text(e: &Event) -> String {
    event_json(e).to_string()
}

pub fn events_text(events: &[Arc<Event>]) -> String {
    Json::Array(events.iter().map(|e| event_json(e)).collect()).to_string()
}
