//! `demo run SCENARIOS.json OUT.json`: the Rust door, every scenario of the file.
//! `demo table SCENARIOS.json DIR DOOR...`: the table and its sentences from DIR/<door>.json,
//! refusing any door that is missing or left out a scenario of the file.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use liveness_examples::demo::results::DoorResults;
use liveness_examples::demo::{run, spec::Spec, summary, table};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.as_slice() {
        [cmd, scenarios, out] if cmd == "run" => {
            Spec::read(Path::new(scenarios)).and_then(|spec| run::run_all(&spec)).and_then(|r| r.write(Path::new(out)))
        }
        [cmd, scenarios, dir, doors @ ..] if cmd == "table" && !doors.is_empty() => {
            print_table(Path::new(scenarios), &PathBuf::from(dir), doors)
        }
        _ => {
            eprintln!("usage: demo run SCENARIOS.json OUT.json | demo table SCENARIOS.json DIR DOOR...");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("demo: {e}");
            ExitCode::FAILURE
        }
    }
}

fn print_table(scenarios: &Path, dir: &Path, doors: &[String]) -> Result<(), String> {
    let spec = Spec::read(scenarios)?;
    let results: Vec<DoorResults> =
        doors.iter().map(|d| DoorResults::read(&dir.join(format!("{d}.json")))).collect::<Result<_, _>>()?;
    let lines = table::lines(&spec, &results)?;
    print!("{}\n{}", table::render(&lines), summary::sentences(&spec, &lines));
    Ok(())
}
