//! The table of `make demo`: scenario × door, each "before" variant next to liveness, with the
//! seed's own figure beside the doors'. Built only from complete results: a door that left out a
//! scenario of demo/scenarios.json (or ran one that is not in it) is an error, not a blank cell.

use super::results::{DoorResults, Row};
use super::spec::{AFTER, Spec, sleep_label};

/// One line of the table: a door's "before" variant of a scenario and its "after".
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub scenario: String,
    pub seed: String,
    pub door: String,
    pub before: Row,
    pub after: Row,
}

impl Line {
    pub fn speed_up(&self) -> f64 {
        if self.after.wall_ms > 0.0 { self.before.wall_ms / self.after.wall_ms } else { f64::INFINITY }
    }
}

fn find<'a>(door: &'a DoorResults, scenario: &str, variant: &str) -> Result<&'a Row, String> {
    let mut found = door.rows.iter().filter(|r| r.scenario == scenario && r.variant == variant);
    match (found.next(), found.next()) {
        (Some(row), None) => Ok(row),
        (None, _) => Err(format!("the {} door left out {scenario:?} / {variant:?}", door.door)),
        (Some(_), Some(_)) => Err(format!("the {} door ran {scenario:?} / {variant:?} twice", door.door)),
    }
}

/// The lines in the file's scenario order, then door order; every row of every door is used.
pub fn lines(spec: &Spec, doors: &[DoorResults]) -> Result<Vec<Line>, String> {
    for door in doors {
        for row in &door.rows {
            let known = spec.scenarios.iter().any(|s| {
                s.name == row.scenario
                    && (row.variant == AFTER || s.before_sleep_ms.iter().any(|&ms| sleep_label(ms) == row.variant))
            });
            if !known {
                return Err(format!(
                    "the {} door ran {:?} / {:?}, which demo/scenarios.json does not list",
                    door.door, row.scenario, row.variant
                ));
            }
        }
    }
    let mut out = Vec::new();
    for s in &spec.scenarios {
        for door in doors {
            let after = find(door, &s.name, AFTER)?;
            for &ms in &s.before_sleep_ms {
                let before = find(door, &s.name, &sleep_label(ms))?;
                out.push(Line {
                    scenario: s.name.clone(),
                    seed: s.seed.clone(),
                    door: door.door.clone(),
                    before: before.clone(),
                    after: after.clone(),
                });
            }
        }
    }
    Ok(out)
}

pub fn secs(ms: f64) -> String {
    format!("{:.2} s", ms / 1000.0)
}

fn failed(r: &Row) -> String {
    format!("{}/{}", r.failures, r.tests)
}

/// The text table: one block per scenario, its seed figure on the block's first line.
pub fn render(lines: &[Line]) -> String {
    let header = format!(
        "{:<42} {:<7} {:<12} {:>8} {:>7} | {:>8} {:>7} | {:>8}  {}\n",
        "scenario", "door", "before", "time", "failed", "after", "failed", "speed-up", "the seed says"
    );
    let mut out = header.clone();
    out.push_str(&format!("{}\n", "-".repeat(header.chars().count() + 12)));
    let mut last_scenario = "";
    for l in lines {
        let first = l.scenario != last_scenario;
        if first && !last_scenario.is_empty() {
            out.push('\n');
        }
        out.push_str(&format!(
            "{:<42} {:<7} {:<12} {:>8} {:>7} | {:>8} {:>7} | {:>7.1}×  {}\n",
            if first { l.scenario.as_str() } else { "" },
            l.door,
            l.before.variant,
            secs(l.before.wall_ms),
            failed(&l.before),
            secs(l.after.wall_ms),
            failed(&l.after),
            l.speed_up(),
            if first { l.seed.as_str() } else { "" },
        ));
        last_scenario = &l.scenario;
    }
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::demo::spec::{Delay, Hog, Kind, Load, Scenario};

    pub(crate) fn spec() -> Spec {
        Spec {
            delay: Delay { base_ms: 1, step: 1, spread_ms: 1, tail_every: 0, tail_ms: 0 },
            hog: Hog { command: vec!["true".into()] },
            scenarios: vec![Scenario {
                name: "restart race, 100 tests".into(),
                kind: Kind::RestartRace,
                load: Load::Idle,
                tests: 100,
                before_sleep_ms: vec![10, 50],
                seed: "5.3 s -> 0.4-0.5 s".into(),
                flush_ms: 0,
                threshold: 0,
            }],
        }
    }

    pub(crate) fn row(variant: &str, wall_ms: f64, failures: u64) -> Row {
        Row { scenario: "restart race, 100 tests".into(), variant: variant.into(), wall_ms, failures, tests: 100 }
    }

    pub(crate) fn door(name: &str, rows: Vec<Row>) -> DoorResults {
        DoorResults { door: name.into(), rows }
    }

    fn complete(name: &str) -> DoorResults {
        door(name, vec![row("sleep 10 ms", 1000.0, 7), row("sleep 50 ms", 5000.0, 0), row("liveness", 500.0, 0)])
    }

    #[test]
    fn each_sleep_variant_sits_next_to_liveness_with_the_seeds_figure() {
        let text = render(&lines(&spec(), &[complete("rust")]).unwrap());
        let rows: Vec<&str> = text.lines().skip(2).collect();
        assert_eq!(rows.len(), 2);
        assert!(rows[0].contains("sleep 10 ms") && rows[0].contains("7/100") && rows[0].contains("5.3 s -> 0.4-0.5 s"));
        assert!(rows[1].contains("5.00 s") && rows[1].contains("0.50 s") && rows[1].contains("10.0×"), "{}", rows[1]);
    }

    #[test]
    fn a_door_that_left_out_a_variant_is_refused() {
        let partial = door("node", vec![row("sleep 10 ms", 1000.0, 7), row("liveness", 500.0, 0)]);
        let err = lines(&spec(), &[complete("rust"), partial]).unwrap_err();
        assert!(err.contains("the node door left out") && err.contains("sleep 50 ms"), "{err}");
    }

    #[test]
    fn a_scenario_the_file_does_not_list_is_refused() {
        let mut extra = complete("c");
        extra.rows.push(Row { scenario: "restart race (100 tests)".into(), ..row("liveness", 1.0, 0) });
        let err = lines(&spec(), &[extra]).unwrap_err();
        assert!(err.contains("does not list"), "{err}");
    }
}
