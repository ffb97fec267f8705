//! Generates the C header from the `extern "C"` items of this crate (capi/src).
//!
//! The header is written to `$OUT_DIR/liveness.h`; `include/liveness.h` is the committed copy that
//! users include. `tests/header.rs` fails when the two differ and rewrites the committed copy when
//! run with `LIVENESS_UPDATE_HEADER=1` (`make header`).

use std::env;
use std::path::PathBuf;

fn main() {
    let manifest = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let src_dir = manifest.join("src");
    let config_path = manifest.join("cbindgen.toml");
    println!("cargo:rerun-if-changed={}", src_dir.display());
    println!("cargo:rerun-if-changed={}", config_path.display());

    // A SONAME, so that programs linked against libliveness.so record a versioned name and
    // `make install` can lay out libliveness.so -> .so.0.1 -> .so.0.1.0 as shared libraries do.
    // Before 1.0 a minor release may break the ABI, so the SONAME carries major.minor.
    if env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libliveness.so.{}", soversion());
    }

    let mut config = cbindgen::Config::from_file(&config_path).expect("capi/cbindgen.toml is valid");
    config.after_includes = Some(format!(
        "\n/** The version of liveness this header belongs to (see liveness_version()). */\n#define LIVENESS_VERSION \"{}\"",
        env::var("CARGO_PKG_VERSION").expect("cargo sets CARGO_PKG_VERSION")
    ));
    let out = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("liveness.h");
    let mut text = Vec::new();
    cbindgen::Builder::new()
        .with_config(config)
        // The crate's own sources by path: no `cargo metadata` run from inside a build.
        .with_src(src_dir.join("lib.rs"))
        .generate()
        .expect("cbindgen parses capi/src")
        .write(&mut text);
    let text = parenthesize_negative_constants(&String::from_utf8(text).expect("cbindgen writes UTF-8"));
    std::fs::write(&out, text).expect("OUT_DIR is writable");
}

/// `0.1` for 0.1.x, `1` for 1.x: the part of the version that changes when the ABI may break.
fn soversion() -> String {
    let major = env::var("CARGO_PKG_VERSION_MAJOR").expect("cargo sets the version");
    let minor = env::var("CARGO_PKG_VERSION_MINOR").expect("cargo sets the version");
    if major == "0" { format!("0.{minor}") } else { major }
}

/// `#define LIVENESS_ANY_COUNT -1` would turn `x-LIVENESS_ANY_COUNT` into `x--1`; a macro that
/// expands to an expression is parenthesised.
fn parenthesize_negative_constants(header: &str) -> String {
    header
        .lines()
        .map(|line| match line.strip_prefix("#define ").and_then(|rest| rest.split_once(' ')) {
            Some((name, value)) if value.starts_with('-') => format!("#define {name} ({value})"),
            _ => line.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}
