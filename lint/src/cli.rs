//! The command line, shared by every door: the `liveness` binary, `python -m liveness` (the
//! wheel's native module) and the npm package's `bin` (the addon) all call [`run`].

use std::path::PathBuf;

/// What a run of the command line gives: the exit status (0 no findings, 1 findings, 2 usage or
/// config error) and what it prints.
#[derive(Debug, Default)]
pub struct Outcome {
    pub code: u8,
    pub stdout: String,
    pub stderr: String,
}

const USAGE: &str = "usage: liveness lint [PATH...] [--format text|json|sarif] [--config FILE]

Finds the sleeps used as waits in test code (Python, JavaScript, TypeScript, Rust, C, C++, Go,
Java, Elixir). PATH defaults to the current folder. Exit status: 0 no findings, 1 findings,
2 usage or config error.

  --format FORMAT   text (default), json, or sarif (SARIF 2.1.0, for code scanning)
  --config FILE     use this config file (liveness.toml [lint], pyproject.toml
                    [tool.liveness.lint], package.json \"liveness\": {\"lint\": ...}) instead of the
                    nearest one up from each file
  -h, --help        this text
  -V, --version     the version

Allow one sleep that is the behaviour under test with a comment on its line or the line above:
  # liveness: allow-sleep(simulated shutdown delay)";

/// Runs `liveness ARGS…` (without the program's name: `["lint", "tests/"]`).
pub fn run(args: &[String]) -> Outcome {
    match run_inner(args) {
        Ok(o) => o,
        Err(msg) => Outcome { code: 2, stdout: String::new(), stderr: format!("liveness: {msg}\n") },
    }
}

fn ok(stdout: String) -> Result<Outcome, String> {
    Ok(Outcome { code: 0, stdout, stderr: String::new() })
}

fn run_inner(args: &[String]) -> Result<Outcome, String> {
    let mut it = args.iter();
    match it.next().map(String::as_str) {
        Some("lint") => {}
        Some("-h" | "--help") => {
            return ok(format!("{USAGE}\n"));
        }
        Some("-V" | "--version") => {
            return ok(format!("liveness {}\n", env!("CARGO_PKG_VERSION")));
        }
        Some(other) => return Err(format!("unknown command {other:?}\n{USAGE}")),
        None => return Err(USAGE.to_string()),
    }
    let mut format = "text".to_string();
    let mut config = None;
    let mut paths = Vec::new();
    while let Some(a) = it.next() {
        let (flag, inline) = match a.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
            _ => (a.as_str(), None),
        };
        let mut value =
            |name: &str| inline.clone().or_else(|| it.next().cloned()).ok_or(format!("{name} needs a value"));
        match flag {
            "--format" => format = value("--format")?,
            "--config" => config = Some(PathBuf::from(value("--config")?)),
            "-h" | "--help" => {
                return ok(format!("{USAGE}\n"));
            }
            f if f.starts_with('-') && f != "-" => return Err(format!("unknown option {f}\n{USAGE}")),
            _ => paths.push(PathBuf::from(a)),
        }
    }
    if !matches!(format.as_str(), "text" | "json" | "sarif") {
        return Err(format!("--format must be text, json or sarif, not {format:?}"));
    }
    if paths.is_empty() {
        paths.push(PathBuf::from("."));
    }
    let report = crate::lint_paths(&paths, config.as_deref())?;
    let out = match format.as_str() {
        "json" => crate::output::json(&report),
        "sarif" => crate::output::sarif(&report),
        _ => crate::output::text(&report),
    };
    Ok(Outcome { code: u8::from(!report.findings.is_empty()), stdout: out, stderr: String::new() })
}
