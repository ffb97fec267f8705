//! The committed include/liveness.h must be exactly what cbindgen generates from capi/src now:
//! a change to the C ABI that was not followed by `make header` fails here.
//! `LIVENESS_UPDATE_HEADER=1` rewrites the committed copy instead (that is what `make header` does).

use std::path::Path;

#[test]
fn committed_header_is_fresh() {
    let generated = include_str!(concat!(env!("OUT_DIR"), "/liveness.h"));
    let committed_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../include/liveness.h");
    if std::env::var_os("LIVENESS_UPDATE_HEADER").is_some() {
        std::fs::write(&committed_path, generated).expect("include/ is writable");
        return;
    }
    let committed = std::fs::read_to_string(&committed_path).unwrap_or_default();
    if committed != generated {
        let line = committed
            .lines()
            .zip(generated.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| committed.lines().count().min(generated.lines().count()));
        panic!(
            "include/liveness.h differs from the header generated from capi/src (first at line {}).\n\
             Run `make header` and commit the result.",
            line + 1
        );
    }
}

/// Every macro the header defines is the library's own (`LIVENESS_*`): a `pub const` of a private
/// module is exported by cbindgen too, and `#define INDEX_BITS` (twice, with per-target values)
/// collided with a user's names and redefined itself.
#[test]
fn every_macro_in_the_header_is_prefixed_and_defined_once() {
    let generated = include_str!(concat!(env!("OUT_DIR"), "/liveness.h"));
    let mut seen = std::collections::HashSet::new();
    for line in generated.lines() {
        let Some(name) = line.strip_prefix("#define ").and_then(|rest| rest.split_whitespace().next()) else {
            continue;
        };
        assert!(name.starts_with("LIVENESS_"), "the header defines {name}, which is not prefixed LIVENESS_");
        assert!(seen.insert(name.to_owned()), "the header defines {name} twice");
    }
}
