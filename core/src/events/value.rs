//! Event payload values: data is copied into the core at emit time; a host object that is not
//! data is kept by reference, so it comes back as the same object in the same language.

use std::any::Any;
use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

/// A host object carried by reference. Bindings implement it for their object handles.
pub trait HostValue: Send + Sync + fmt::Debug + Any {
    /// The object's text form, shown in reports and to other languages.
    fn text(&self) -> String;
    /// The host's equality, used by map-form `where` matching.
    fn equals(&self, other: &dyn HostValue) -> bool;
    fn as_any(&self) -> &dyn Any;
}

/// How deeply lists and maps may nest in one metadata value, in every binding: the depth at which
/// serde_json (the C binding's JSON) stops, so a payload one binding accepts every binding accepts.
/// A binding that converts host objects must stop at this depth (and on a cycle) with an error
/// instead of recursing without bound.
pub const MAX_PAYLOAD_DEPTH: usize = 128;

/// The deepest level a list or map may sit at in metadata, the metadata map itself being level 1:
/// a value that serde_json would parse only past its recursion limit of [`MAX_PAYLOAD_DEPTH`] is
/// refused, so the deepest level allowed is one less. Bindings that walk host objects compare each
/// container's level with this (the rule is decided here, once, for every binding).
pub const MAX_METADATA_LEVEL: usize = MAX_PAYLOAD_DEPTH - 1;

/// One measurement: an integer stays an integer (`{"count":1}`), a float a float, in every
/// binding; comparisons are by numeric value (`1 == 1.0`).
#[derive(Debug, Clone, Copy)]
pub enum Number {
    Int(i64),
    Float(f64),
}

impl Number {
    pub fn as_f64(self) -> f64 {
        match self {
            Number::Int(i) => i as f64,
            Number::Float(f) => f,
        }
    }

    pub(crate) fn write_json(self, out: &mut String) {
        match self {
            Number::Int(i) => out.push_str(&i.to_string()),
            Number::Float(f) => write_json_number(f, out),
        }
    }
}

impl PartialEq for Number {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Number::Int(a), Number::Int(b)) => a == b,
            _ => self.as_f64() == other.as_f64(),
        }
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = String::new();
        self.write_json(&mut out);
        f.write_str(&out)
    }
}

macro_rules! number_from {
    ($variant:ident as $as:ty: $($t:ty),+) => {
        $(impl From<$t> for Number {
            fn from(v: $t) -> Self {
                Number::$variant(<$as>::from(v))
            }
        })+
    };
}
number_from!(Int as i64: i8, i16, i32, i64, u8, u16, u32);
number_from!(Float as f64: f32, f64);

/// One metadata value.
#[derive(Clone)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    List(Vec<Value>),
    Map(BTreeMap<String, Value>),
    Host(Arc<dyn HostValue>),
}

impl Value {
    fn as_number(&self) -> Option<f64> {
        match self {
            Value::Int(i) => Some(*i as f64),
            Value::Float(f) => Some(*f),
            _ => None,
        }
    }

    /// JSON text; host objects become their text form.
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        self.write_json(&mut out);
        out
    }

    pub(crate) fn write_json(&self, out: &mut String) {
        match self {
            Value::Null => out.push_str("null"),
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Value::Int(i) => out.push_str(&i.to_string()),
            Value::Float(f) => write_json_number(*f, out),
            Value::Str(s) => write_json_string(s, out),
            Value::Host(h) => write_json_string(&h.text(), out),
            Value::List(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write_json(out);
                }
                out.push(']');
            }
            Value::Map(map) => write_json_map(map.iter(), out, |v, out| v.write_json(out)),
        }
    }
}

/// Numbers compare by value (`1 == 1.0`, as in every host); host objects by the host's equality.
impl PartialEq for Value {
    fn eq(&self, other: &Value) -> bool {
        if let (Some(a), Some(b)) = (self.as_number(), other.as_number()) {
            return a == b;
        }
        match (self, other) {
            (Value::Null, Value::Null) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Str(a), Value::Str(b)) => a == b,
            (Value::List(a), Value::List(b)) => a == b,
            (Value::Map(a), Value::Map(b)) => a == b,
            (Value::Host(a), Value::Host(b)) => a.equals(b.as_ref()),
            _ => false,
        }
    }
}

/// The repr used in reports: JSON-like, host objects by their text form.
impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Host(h) => f.write_str(&h.text()),
            other => f.write_str(&other.to_json()),
        }
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

macro_rules! value_from {
    ($($t:ty => $variant:ident as $conv:ty),* $(,)?) => {
        $(impl From<$t> for Value {
            fn from(v: $t) -> Value { Value::$variant(<$conv>::from(v)) }
        })*
    };
}

value_from! {
    bool => Bool as bool, i32 => Int as i64, i64 => Int as i64, u32 => Int as i64,
    f32 => Float as f64, f64 => Float as f64, String => Str as String, &str => Str as String,
}

impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Value {
        v.map_or(Value::Null, Into::into)
    }
}

impl<T: Into<Value>> From<Vec<T>> for Value {
    fn from(v: Vec<T>) -> Value {
        Value::List(v.into_iter().map(Into::into).collect())
    }
}

pub(crate) fn write_json_number(f: f64, out: &mut String) {
    if f.is_finite() {
        out.push_str(&format!("{f:?}"));
    } else {
        // JSON has no NaN/Infinity: null, as JSON.stringify does.
        out.push_str("null");
    }
}

pub(crate) fn write_json_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

pub(crate) fn write_json_map<'a, K: AsRef<str>, V: 'a>(
    entries: impl Iterator<Item = (K, &'a V)>,
    out: &mut String,
    write_value: impl Fn(&V, &mut String),
) {
    out.push('{');
    for (i, (k, v)) in entries.enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_json_string(k.as_ref(), out);
        out.push(':');
        write_value(v, out);
    }
    out.push('}');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_compare_by_value() {
        assert_eq!(Value::Int(1), Value::Float(1.0));
        assert_ne!(Value::Int(1), Value::Str("1".into()));
    }

    #[test]
    fn json_text() {
        let mut m = BTreeMap::new();
        m.insert("to".to_owned(), Value::from("open\n\"x\""));
        m.insert("n".to_owned(), Value::List(vec![Value::Int(1), Value::Float(0.5), Value::Null]));
        assert_eq!(Value::Map(m).to_json(), r#"{"n":[1,0.5,null],"to":"open\n\"x\""}"#);
    }
}
