//! The side-by-side table: each sleep variant next to liveness on the same scenario and binding.

use super::rows::Row;

pub fn render(rows: &[Row]) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "{:<44} {:<7} {:<14} {:>9} {:>9}   {:>9} {:>9}   {:>8}\n",
        "scenario", "binding", "before", "wall", "failed", "liveness", "failed", "faster"
    ));
    out.push_str(&format!("{}\n", "-".repeat(44 + 7 + 14 + 9 + 9 + 9 + 9 + 8 + 13)));
    let mut groups: Vec<(&str, &str)> = Vec::new();
    for r in rows {
        if !groups.contains(&(r.scenario.as_str(), r.binding.as_str())) {
            groups.push((r.scenario.as_str(), r.binding.as_str()));
        }
    }
    for (scenario, binding) in groups {
        let in_group: Vec<&Row> = rows.iter().filter(|r| r.scenario == scenario && r.binding == binding).collect();
        let after = in_group.iter().find(|r| r.is_liveness());
        for before in in_group.iter().filter(|r| !r.is_liveness()) {
            let (live_wall, live_failed, faster) = match after {
                Some(a) => (
                    secs(a.wall_ms),
                    format!("{}/{}", a.failures, a.runs),
                    if a.wall_ms > 0.0 { format!("{:.1}×", before.wall_ms / a.wall_ms) } else { "-".into() },
                ),
                None => ("-".into(), "-".into(), "-".into()),
            };
            out.push_str(&format!(
                "{:<44} {:<7} {:<14} {:>9} {:>9}   {:>9} {:>9}   {:>8}\n",
                scenario,
                binding,
                before.variant,
                secs(before.wall_ms),
                format!("{}/{}", before.failures, before.runs),
                live_wall,
                live_failed,
                faster
            ));
        }
    }
    out
}

fn secs(ms: f64) -> String {
    format!("{:.2} s", ms / 1000.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(variant: &str, wall_ms: f64, failures: u64) -> Row {
        Row { binding: "rust".into(), scenario: "s".into(), variant: variant.into(), wall_ms, failures, runs: 100 }
    }

    #[test]
    fn each_sleep_variant_sits_next_to_liveness() {
        let text = render(&[row("sleep 50 ms", 5000.0, 0), row("sleep 10 ms", 1000.0, 7), row("liveness", 500.0, 0)]);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 4);
        assert!(lines[2].contains("sleep 50 ms") && lines[2].contains("5.00 s") && lines[2].contains("10.0×"));
        assert!(lines[3].contains("7/100") && lines[3].contains("0/100"));
    }
}
