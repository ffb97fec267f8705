//! `liveness lint [PATH…] [--format text|json|sarif] [--config FILE]`: exit 0 when no sleep is
//! found, 1 on findings, 2 on a usage or config error.

use std::path::PathBuf;
use std::process::ExitCode;

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

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(code) => code,
        Err(msg) => {
            eprintln!("liveness: {msg}");
            ExitCode::from(2)
        }
    }
}

fn run(args: &[String]) -> Result<ExitCode, String> {
    let mut it = args.iter();
    match it.next().map(String::as_str) {
        Some("lint") => {}
        Some("-h" | "--help") => {
            println!("{USAGE}");
            return Ok(ExitCode::SUCCESS);
        }
        Some("-V" | "--version") => {
            println!("liveness {}", env!("CARGO_PKG_VERSION"));
            return Ok(ExitCode::SUCCESS);
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
                println!("{USAGE}");
                return Ok(ExitCode::SUCCESS);
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
    let report = liveness_lint::lint_paths(&paths, config.as_deref())?;
    let out = match format.as_str() {
        "json" => liveness_lint::output::json(&report),
        "sarif" => liveness_lint::output::sarif(&report),
        _ => liveness_lint::output::text(&report),
    };
    print!("{out}");
    Ok(if report.findings.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}
