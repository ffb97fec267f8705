//! The npm package's `liveness` bin (`npx liveness lint …`): the command line of the `liveness`
//! binary (crate `liveness-lint`), run by this addon so that the package ships no binary of its
//! own. One engine, one set of rules.

use napi_derive::napi;

/// What `liveness ARGS…` gives: its exit status (0 no findings, 1 findings, 2 usage or config
/// error) and what it prints.
#[napi(object)]
pub struct LintOutcome {
    pub code: u32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `liveness ARGS…` (`["lint", "src/"]`, without the program's name).
#[napi(catch_unwind)]
pub fn lint_main(args: Vec<String>) -> LintOutcome {
    let out = liveness_lint::cli::run(&args);
    LintOutcome { code: u32::from(out.code), stdout: out.stdout, stderr: out.stderr }
}
