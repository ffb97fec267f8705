//! The flat payload of `emitFlat`, read with raw napi calls: a captured emit is a few hundred
//! nanoseconds, so each napi call and allocation saved here is a visible part of it. Strings are
//! read into a stack buffer first (one napi call, no allocation for the name, one for a key);
//! napi-rs's `String` conversion asks for the length and then copies, two calls and a heap buffer.

use std::collections::BTreeMap;

use liveness::events::Number;
use napi::bindgen_prelude::{Array, JsValue};
use napi::sys;

use crate::errors::{Result, invalid_argument};

/// Longer strings take napi-rs's conversion (rare for event names and payload keys).
const INLINE: usize = 128;

fn bug(what: &str) -> napi::Error<&'static str> {
    invalid_argument(format!("emitFlat: {what} (a liveness bug)"))
}

fn ok(status: sys::napi_status, what: &str) -> Result<()> {
    if status == sys::Status::napi_ok { Ok(()) } else { Err(bug(what)) }
}

/// Calls `f` with the string `value`, copied into a stack buffer when it is short.
pub fn with_str<T>(env: sys::napi_env, value: sys::napi_value, f: impl FnOnce(&str) -> T) -> Result<T> {
    let mut buf = [0u8; INLINE];
    let mut len = 0usize;
    // SAFETY: `buf` is writable for its length; napi writes at most `len - 1` bytes and a NUL.
    let status = unsafe { sys::napi_get_value_string_utf8(env, value, buf.as_mut_ptr().cast(), INLINE, &mut len) };
    ok(status, "a string was expected")?;
    // napi writes whole characters only (at most 4 bytes each): with 4 bytes of room left after
    // them, nothing was cut off.
    if len + 5 <= INLINE {
        let text = std::str::from_utf8(&buf[..len]).map_err(|_| bug("a string is not UTF-8"))?;
        return Ok(f(text));
    }
    // SAFETY: `value` is a string of this env (checked by the call above).
    let long: String = unsafe { <String as napi::bindgen_prelude::FromNapiValue>::from_napi_value(env, value) }
        .map_err(|e| invalid_argument(e.reason.clone()))?;
    Ok(f(&long))
}

fn element(entries: &Array, index: u32) -> Result<sys::napi_value> {
    let value = entries.value();
    let mut out = std::ptr::null_mut();
    // SAFETY: `entries` is a live array of `value.env`.
    ok(unsafe { sys::napi_get_element(value.env, value.value, index, &mut out) }, "an entry is missing")?;
    Ok(out)
}

fn type_of(env: sys::napi_env, value: sys::napi_value) -> Result<sys::napi_valuetype> {
    let mut kind = 0;
    // SAFETY: `value` is a live value of `env`.
    ok(unsafe { sys::napi_typeof(env, value, &mut kind) }, "an entry's type is unknown")?;
    Ok(kind)
}

fn number(env: sys::napi_env, value: sys::napi_value) -> Result<f64> {
    let mut n = 0.0;
    // SAFETY: `value` is a live value of `env`; a non-number fails the call.
    ok(unsafe { sys::napi_get_value_double(env, value, &mut n) }, "a number was expected")?;
    Ok(n)
}

/// The payload of one emit: `entries` is `[key, value, key, value, …]`, the first
/// `measurement_count` pairs the measurements (numbers), the rest the metadata (strings, numbers,
/// booleans, null or undefined).
pub type Payload = (BTreeMap<String, Number>, BTreeMap<String, liveness::Value>);

pub fn payload(entries: &Array, measurement_count: u32) -> Result<Payload> {
    let env = entries.value().env;
    let len = entries.len();
    if len % 2 != 0 || measurement_count > len / 2 {
        return Err(bug("entries are not key-value pairs"));
    }
    let mut measurements = BTreeMap::new();
    let mut metadata = BTreeMap::new();
    for pair in 0..len / 2 {
        let key = with_str(env, element(entries, 2 * pair)?, str::to_owned)?;
        let value = element(entries, 2 * pair + 1)?;
        if pair < measurement_count {
            measurements.insert(key, measurement(number(env, value)?));
        } else {
            metadata.insert(key, flat_value(env, value)?);
        }
    }
    Ok((measurements, metadata))
}

/// A primitive metadata value. undefined is null, as in the JSON encoding.
fn flat_value(env: sys::napi_env, value: sys::napi_value) -> Result<liveness::Value> {
    let mut flag = false;
    Ok(match type_of(env, value)? {
        sys::ValueType::napi_undefined | sys::ValueType::napi_null => liveness::Value::Null,
        sys::ValueType::napi_boolean => {
            // SAFETY: `value` is a boolean of `env`.
            ok(unsafe { sys::napi_get_value_bool(env, value, &mut flag) }, "a boolean was expected")?;
            liveness::Value::Bool(flag)
        }
        sys::ValueType::napi_string => liveness::Value::Str(with_str(env, value, str::to_owned)?),
        sys::ValueType::napi_number => json_rule_number(number(env, value)?),
        other => return Err(bug(&format!("a value of napi type {other} is not a flat value"))),
    })
}

/// The JSON path's rule (values.rs), so both paths give the same value: a whole number whose
/// JSON text (JavaScript's shortest digits, zero-padded below 1e21) fits an i64 is that integer.
fn as_integer(n: f64) -> Option<i64> {
    const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53: below it the digits are the value
    if n.fract() != 0.0 || !n.is_finite() || n.abs() >= 1e21 {
        return None;
    }
    if n.abs() < EXACT {
        return Some(n as i64);
    }
    // Rust prints the same shortest digits as JavaScript, zero-padded: 2^60 is 1152921504606847000.
    format!("{n}").parse().ok()
}

fn json_rule_number(n: f64) -> liveness::Value {
    as_integer(n).map_or(liveness::Value::Float(n), liveness::Value::Int)
}

fn measurement(n: f64) -> Number {
    as_integer(n).map_or(Number::Float(n), Number::Int)
}
