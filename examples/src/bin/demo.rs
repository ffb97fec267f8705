//! `demo run FILE`: the seeds' scenarios in Rust, with sleeps and with liveness, as JSON rows.
//! `demo table DIR`: every binding's rows side by side.

use std::path::PathBuf;
use std::process::ExitCode;

use liveness_examples::demo::{rows, scenarios, table};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [cmd, file] if cmd == "run" => {
            let rows = scenarios::run_all();
            if let Err(e) = rows::write(&PathBuf::from(file), &rows) {
                eprintln!("demo: cannot write {file}: {e}");
                return ExitCode::FAILURE;
            }
            ExitCode::SUCCESS
        }
        [cmd, dir] if cmd == "table" => match rows::read_dir(&PathBuf::from(dir)) {
            Ok(rows) => {
                print!("{}", table::render(&rows));
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("demo: cannot read the rows in {dir}: {e}");
                ExitCode::FAILURE
            }
        },
        _ => {
            eprintln!("usage: demo run FILE.jsonl | demo table DIR");
            ExitCode::from(2)
        }
    }
}
