//! `liveness lint [PATH…] [--format text|json|sarif] [--config FILE]`: exit 0 when no sleep is
//! found, 1 on findings, 2 on a usage or config error.

use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let out = liveness_lint::cli::run(&args);
    let _ = std::io::stdout().write_all(out.stdout.as_bytes());
    let _ = std::io::stderr().write_all(out.stderr.as_bytes());
    ExitCode::from(out.code)
}
