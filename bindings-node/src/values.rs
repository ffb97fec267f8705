//! Event payloads across the boundary, as JSON text in an encoding user data cannot spoof: a
//! JSON object is always a string-keyed map (its keys are never interpreted), and everything else
//! that is not a string, boolean, null or finite number is an array whose first item says what it
//! is: `["l", ...items]` a list, `["n", "NaN"]` a non-finite number, `["b", "123"]` a BigInt,
//! `["h", id, text]` a JavaScript object (or function, or symbol) kept by reference in the
//! TypeScript registry of the environment that emitted it, so it comes back as the very same
//! value there (and as its text in any other environment or language).

use std::any::Any;
use std::collections::BTreeMap;
use std::sync::Arc;

use liveness::Value;
use liveness::events::{Event, HostValue, Number as Measurement};
use napi::Env;
use napi_derive::napi;
use serde_json::{Map, Number, Value as Json};

use crate::errors::{Result, invalid_argument};
use crate::home::Home;

/// A JavaScript value held by the registry of `home` under `id`; the core sees its text form.
#[derive(Debug)]
struct JsObject {
    id: f64,
    text: String,
    home: Arc<Home>,
}

impl std::fmt::Debug for Home {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Home")
    }
}

impl HostValue for JsObject {
    fn text(&self) -> String {
        self.text.clone()
    }
    fn equals(&self, other: &dyn HostValue) -> bool {
        other.as_any().downcast_ref::<JsObject>().is_some_and(|o| o.id == self.id && Arc::ptr_eq(&o.home, &self.home))
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

impl Drop for JsObject {
    fn drop(&mut self) {
        self.home.host_released(self.id);
    }
}

/// A JavaScript BigInt, by value (decimal digits): it comes back as a bigint in any environment.
#[derive(Debug)]
struct JsBigInt {
    digits: String,
}

impl HostValue for JsBigInt {
    fn text(&self) -> String {
        self.digits.clone()
    }
    fn equals(&self, other: &dyn HostValue) -> bool {
        other.as_any().downcast_ref::<JsBigInt>().is_some_and(|o| o.digits == self.digits)
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// Ids of JavaScript objects of the calling environment no event refers to any more.
#[napi(catch_unwind)]
pub fn take_released_host_ids(env: Env) -> Result<Vec<f64>> {
    Ok(Home::of(&env)?.take_released())
}

/// How deeply metadata may nest, the metadata map included (SPEC §5, every binding alike).
#[napi(catch_unwind)]
pub fn max_payload_depth() -> u32 {
    liveness::events::MAX_PAYLOAD_DEPTH as u32
}

/// The deepest level a list or map may sit at in metadata, the metadata map being level 1: the
/// core's rule, which the TypeScript layer applies while it walks the objects.
#[napi(catch_unwind)]
pub fn max_metadata_level() -> u32 {
    liveness::events::MAX_METADATA_LEVEL as u32
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

fn malformed() -> napi::Error<&'static str> {
    invalid_argument("malformed payload encoding (a liveness bug)")
}

fn to_value(json: Json, home: &Arc<Home>) -> Result<Value> {
    Ok(match json {
        Json::Null => Value::Null,
        Json::Bool(b) => Value::Bool(b),
        Json::Number(n) => number(&n),
        Json::String(s) => Value::Str(s),
        Json::Object(map) => {
            Value::Map(map.into_iter().map(|(k, v)| Ok((k, to_value(v, home)?))).collect::<Result<_>>()?)
        }
        Json::Array(items) => {
            let mut items = items.into_iter();
            match (items.next(), items.as_slice()) {
                (Some(Json::String(tag)), rest) => match (tag.as_str(), rest) {
                    ("l", _) => Value::List(items.map(|v| to_value(v, home)).collect::<Result<_>>()?),
                    ("n", [Json::String(text)]) => Value::Float(tagged_number(text).ok_or_else(malformed)?),
                    ("b", [Json::String(digits)]) => Value::Host(Arc::new(JsBigInt { digits: digits.clone() })),
                    ("h", [id, Json::String(text)]) => {
                        let id = id.as_f64().ok_or_else(malformed)?;
                        home.host_held(id);
                        Value::Host(Arc::new(JsObject { id, text: text.clone(), home: home.clone() }))
                    }
                    _ => return Err(malformed()),
                },
                _ => return Err(malformed()),
            }
        }
    })
}

/// A JavaScript number that is an integer (JSON without a fraction) stays an integer.
fn to_measurement(key: &str, json: Json) -> Result<Measurement> {
    match json {
        Json::Number(n) => {
            Ok(n.as_i64().map_or_else(|| Measurement::Float(n.as_f64().unwrap_or(f64::NAN)), Measurement::Int))
        }
        Json::Array(items) => match items.as_slice() {
            [Json::String(tag), Json::String(text)] if tag == "n" => {
                tagged_number(text).map(Measurement::Float).ok_or_else(malformed)
            }
            _ => Err(invalid_argument(format!("measurement {key:?} must be a number"))),
        },
        _ => Err(invalid_argument(format!("measurement {key:?} must be a number"))),
    }
}

/// A metadata map (or `where` map) from the TypeScript layer's JSON.
pub fn metadata_from_json(text: &str, home: &Arc<Home>) -> Result<BTreeMap<String, Value>> {
    match serde_json::from_str::<Json>(text) {
        Ok(Json::Object(map)) => map.into_iter().map(|(k, v)| Ok((k, to_value(v, home)?))).collect(),
        Ok(_) => Err(invalid_argument("metadata must be an object with string keys")),
        Err(e) => Err(invalid_argument(format!("metadata is not serialisable: {e}"))),
    }
}

/// A measurements map from the TypeScript layer's JSON.
pub fn measurements_from_json(text: &str) -> Result<BTreeMap<String, Measurement>> {
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
    Json::Array(vec![Json::from("n"), Json::from(text)])
}

fn from_value(v: &Value, home: &Arc<Home>) -> Json {
    match v {
        Value::Null => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Int(i) => Json::from(*i),
        Value::Float(f) => json_number(*f),
        Value::Str(s) => Json::from(s.as_str()),
        Value::List(items) => {
            Json::Array(std::iter::once(Json::from("l")).chain(items.iter().map(|v| from_value(v, home))).collect())
        }
        Value::Map(map) => Json::Object(map.iter().map(|(k, v)| (k.clone(), from_value(v, home))).collect()),
        Value::Host(h) => {
            if let Some(js) = h.as_any().downcast_ref::<JsObject>().filter(|js| Arc::ptr_eq(&js.home, home)) {
                // Our own environment's object: JavaScript gets the same value back.
                Json::Array(vec![Json::from("h"), Json::from(js.id), Json::from(js.text.as_str())])
            } else if let Some(big) = h.as_any().downcast_ref::<JsBigInt>() {
                Json::Array(vec![Json::from("b"), Json::from(big.digits.as_str())])
            } else {
                // Another environment's or language's object: its text form (SPEC §5).
                Json::from(h.text())
            }
        }
    }
}

/// An event as the JSON the TypeScript layer decodes for `home` (`atMs`: ms since the bus started).
pub fn event_json(e: &Event, home: &Arc<Home>) -> Json {
    let mut o = Map::new();
    o.insert("name".into(), Json::from(e.name.as_str()));
    o.insert(
        "measurements".into(),
        Json::Object(e.measurements.iter().map(|(k, v)| (k.to_owned(), json_number(v.as_f64()))).collect()),
    );
    o.insert(
        "metadata".into(),
        Json::Object(e.metadata.iter().map(|(k, v)| (k.to_owned(), from_value(v, home))).collect()),
    );
    o.insert("seq".into(), Json::from(e.seq));
    o.insert("atMs".into(), json_number(e.at.as_secs_f64() * 1000.0));
    o.insert("thread".into(), Json::from(&*e.thread));
    Json::Object(o)
}

pub fn event_text(e: &Event, home: &Arc<Home>) -> String {
    event_json(e, home).to_string()
}

pub fn events_text(events: &[Arc<Event>], home: &Arc<Home>) -> String {
    Json::Array(events.iter().map(|e| event_json(e, home)).collect()).to_string()
}
