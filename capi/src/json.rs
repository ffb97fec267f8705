//! Event metadata and `where` maps arrive from C as JSON text; this turns them into core values.

use std::collections::BTreeMap;

use liveness_core::Error;
use liveness_core::events::Value;

/// Parses `text` as a JSON object (metadata, or a map-form `where`). `what` names the argument in
/// the error message.
pub(crate) fn object(what: &str, text: &str) -> Result<BTreeMap<String, Value>, Error> {
    let parsed: serde_json::Value =
        serde_json::from_str(text).map_err(|e| Error::invalid_argument(format!("`{what}` is not valid JSON: {e}")))?;
    match parsed {
        serde_json::Value::Object(map) => Ok(map.into_iter().map(|(k, v)| (k, value(v))).collect()),
        other => Err(Error::invalid_argument(format!(
            "`{what}` must be a JSON object (like {{\"key\": 1}}), got {}",
            kind(&other)
        ))),
    }
}

fn value(json: serde_json::Value) -> Value {
    match json {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(b),
        serde_json::Value::Number(n) => match n.as_i64() {
            Some(i) => Value::Int(i),
            // u64 beyond i64 and fractions: as every JSON reader without big integers does.
            None => Value::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        serde_json::Value::String(s) => Value::Str(s),
        serde_json::Value::Array(items) => Value::List(items.into_iter().map(value).collect()),
        serde_json::Value::Object(map) => Value::Map(map.into_iter().map(|(k, v)| (k, value(v))).collect()),
    }
}

fn kind(json: &serde_json::Value) -> &'static str {
    match json {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}
