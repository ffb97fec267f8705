//! The sentences under the table, computed from the measured lines (never canned claims): what
//! liveness cost against the longest sleep on the idle restart race, what load did to it, and
//! who failed how often.

use super::spec::{Kind, Load, Spec};
use super::table::{Line, secs};

fn range(values: impl Iterator<Item = f64>, fmt: impl Fn(f64) -> String) -> String {
    let v: Vec<f64> = values.collect();
    let (lo, hi) = v.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &x| (lo.min(x), hi.max(x)));
    if v.is_empty() {
        "-".into()
    } else if fmt(lo) == fmt(hi) {
        fmt(lo)
    } else {
        format!("{}–{}", fmt(lo), fmt(hi))
    }
}

fn seconds(ms: f64) -> String {
    secs(ms).trim_end_matches(" s").to_owned()
}

/// The lines of the restart race under `load` with the longest "before" sleep.
fn race_lines<'a>(spec: &'a Spec, lines: &'a [Line], load: Load) -> Option<(&'a str, Vec<&'a Line>)> {
    let s = spec.scenarios.iter().find(|s| s.kind == Kind::RestartRace && s.load == load)?;
    let longest = s.before_sleep_ms.iter().max()?;
    let variant = super::spec::sleep_label(*longest);
    let picked: Vec<&Line> = lines.iter().filter(|l| l.scenario == s.name && l.before.variant == variant).collect();
    Some((s.name.as_str(), picked))
}

pub fn sentences(spec: &Spec, lines: &[Line]) -> String {
    let mut out = Vec::new();
    if let Some((name, idle)) = race_lines(spec, lines, Load::Idle) {
        let seed = spec.scenarios.iter().find(|s| s.name == name).map_or("", |s| s.seed.as_str());
        out.push(format!(
            "In \"{name}\", {} took {} s in the {} doors against {} s for liveness ({}× faster; the seed: {seed}).",
            idle.first().map_or("-", |l| l.before.variant.as_str()),
            range(idle.iter().map(|l| l.before.wall_ms), seconds),
            idle.len(),
            range(idle.iter().map(|l| l.after.wall_ms), seconds),
            range(idle.iter().map(|l| l.speed_up()), |x| format!("{x:.1}")),
        ));
    }
    if let Some((name, loaded)) = race_lines(spec, lines, Load::Hog) {
        out.push(format!(
            "On the loaded machine (\"{name}\") liveness took {} s and failed {} of {} tests in all doors.",
            range(loaded.iter().map(|l| l.after.wall_ms), seconds),
            loaded.iter().map(|l| l.after.failures).sum::<u64>(),
            loaded.iter().map(|l| l.after.tests).sum::<u64>(),
        ));
    }
    // Each "after" row appears once per "before" variant: count it once.
    let mut afters: Vec<&Line> = Vec::new();
    for l in lines {
        if !afters.iter().any(|a| a.scenario == l.scenario && a.door == l.door) {
            afters.push(l);
        }
    }
    let before_failed: u64 = lines.iter().map(|l| l.before.failures).sum();
    let before_tests: u64 = lines.iter().map(|l| l.before.tests).sum();
    let worst = lines.iter().max_by(|a, b| {
        let rate = |l: &Line| l.before.failures as f64 / l.before.tests.max(1) as f64;
        rate(a).total_cmp(&rate(b))
    });
    let mut last = format!(
        "In all, the sleeps failed {before_failed} of {before_tests} tests and liveness {} of {}",
        afters.iter().map(|l| l.after.failures).sum::<u64>(),
        afters.iter().map(|l| l.after.tests).sum::<u64>(),
    );
    if let Some(w) = worst.filter(|w| w.before.failures > 0) {
        last.push_str(&format!(
            "; the worst sleep was {} in \"{}\" ({} of {} failed in the {} door)",
            w.before.variant, w.scenario, w.before.failures, w.before.tests, w.door
        ));
    }
    last.push('.');
    out.push(last);
    out.join("\n") + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::table::lines;
    use crate::demo::table::tests::{door, row, spec};

    #[test]
    fn the_sentences_say_what_the_numbers_say() {
        let doors = [
            door("rust", vec![row("sleep 10 ms", 1000.0, 4), row("sleep 50 ms", 5000.0, 0), row("liveness", 500.0, 0)]),
            door("c", vec![row("sleep 10 ms", 1000.0, 0), row("sleep 50 ms", 5000.0, 0), row("liveness", 1000.0, 1)]),
        ];
        let text = sentences(&spec(), &lines(&spec(), &doors).unwrap());
        assert!(text.contains("sleep 50 ms took 5.00 s in the 2 doors against 0.50–1.00 s for liveness"), "{text}");
        assert!(text.contains("(5.0–10.0× faster; the seed: 5.3 s -> 0.4-0.5 s)"), "{text}");
        assert!(text.contains("the sleeps failed 4 of 400 tests and liveness 1 of 200"), "{text}");
        assert!(text.contains("the worst sleep was sleep 10 ms in \"restart race, 100 tests\" (4 of 100"), "{text}");
    }
}
