//! Acceptance: which of a Rust probe's return values an operation accepts. `eventually` accepts
//! `true`, `Some(_)` and `Ok(_)` ([`Truthy`]); `eventually_passes` anything but `false` and
//! `Err(_)` ([`Passes`]) (SPEC §1).

use std::fmt::{Debug, Display};

use crate::poll::Failure;

/// `eventually`'s acceptance (SPEC §1: a truthy value), also used by `always`, `never` and
/// `sync_operation`'s `until`: `true`, `Some(v)` and `Ok(v)` are accepted.
pub trait Truthy {
    /// What the operation returns once accepted.
    type Value;
    fn truthy(self) -> Result<Self::Value, Failure>;
}

impl Truthy for bool {
    type Value = bool;
    fn truthy(self) -> Result<bool, Failure> {
        if self { Ok(true) } else { Err(Failure::returned("false", false)) }
    }
}

impl<T> Truthy for Option<T> {
    type Value = T;
    fn truthy(self) -> Result<T, Failure> {
        self.ok_or_else(|| Failure::returned("None", true))
    }
}

impl<T, E: Display> Truthy for Result<T, E> {
    type Value = T;
    fn truthy(self) -> Result<T, Failure> {
        self.map_err(|e| raised(&e))
    }
}

/// `eventually_passes`' acceptance: `()` and `true` pass, `false` and `Err` do not.
pub trait Passes {
    type Value;
    fn passes(self) -> Result<Self::Value, Failure>;
}

impl Passes for () {
    type Value = ();
    fn passes(self) -> Result<(), Failure> {
        Ok(())
    }
}

impl Passes for bool {
    type Value = bool;
    fn passes(self) -> Result<bool, Failure> {
        self.truthy()
    }
}

impl<T, E: Display> Passes for Result<T, E> {
    type Value = T;
    fn passes(self) -> Result<T, Failure> {
        self.truthy()
    }
}

/// The result of a `sync_operation` action: `()` or a `Result` whose `Err` propagates.
pub trait ActionOutcome {
    fn action_outcome(self) -> Result<(), Failure>;
}

impl ActionOutcome for () {
    fn action_outcome(self) -> Result<(), Failure> {
        Ok(())
    }
}

impl<T, E: Display> ActionOutcome for Result<T, E> {
    fn action_outcome(self) -> Result<(), Failure> {
        self.map(drop).map_err(|e| raised(&e))
    }
}

fn raised<E: Display>(e: &E) -> Failure {
    Failure::raised(short_type_name(std::any::type_name::<E>()), e.to_string())
}

/// `std::io::error::Error` → `io::Error`: the name a Rust user writes, not the private path.
fn short_type_name(full: &str) -> String {
    if full.contains('<') {
        return full.to_owned();
    }
    let segments: Vec<&str> = full.split("::").collect();
    let last = segments[segments.len() - 1];
    let public: Vec<&str> = segments.iter().copied().filter(|s| *s == last || !s.eq_ignore_ascii_case(last)).collect();
    public[public.len().saturating_sub(2)..].join("::")
}

/// The repr of an accepted value, for `never`'s report.
pub(crate) fn repr<T: Debug>(value: &T) -> String {
    crate::poll::shorten_repr(&format!("{value:?}"))
}

#[cfg(test)]
mod tests {
    use super::short_type_name;

    #[test]
    fn error_types_are_named_as_users_write_them() {
        assert_eq!(short_type_name("std::io::error::Error"), "io::Error");
        assert_eq!(short_type_name("&str"), "&str");
        assert_eq!(short_type_name("alloc::string::String"), "alloc::String");
        assert_eq!(short_type_name("my_crate::Fault"), "my_crate::Fault");
    }
}
