//! `python -m liveness lint`: the command line of the `liveness` binary (crate `liveness-lint`),
//! run by this module so that the wheel needs no binary of its own. One engine, one set of rules.

use pyo3::prelude::*;

/// Runs `liveness ARGS…` (`["lint", "tests/"]`) and gives its exit status and what it prints:
/// `(code, stdout, stderr)`. The interpreter is detached while the files are parsed.
#[pyfunction]
pub fn lint_main(py: Python<'_>, args: Vec<String>) -> (u8, String, String) {
    let out = py.detach(|| liveness_lint::cli::run(&args));
    (out.code, out.stdout, out.stderr)
}
