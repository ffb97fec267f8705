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
