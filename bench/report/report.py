"""Turns one run's per-language files into the run's report.

    python bench/report/report.py DIR [--command "make bench"] [--check]

reads DIR/<language>.json (written by the harnesses), writes DIR/results.json (the run: machine,
command, every language's records), DIR/table.md (headline ratios, then every figure) and the
plots DIR/overshoot.png, DIR/cpu.png, DIR/suite.png, DIR/concurrency.png,
DIR/latency_cpu.png. With --check it fails
when a harness left a scenario, a library or a required row (the floors, the wake hint, wake_on_path) out,
or when a suite row took less than the delays it waits for; the smoke test in `make test` relies on it.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Dict, List

from concurrency import missing_drivers, plot_concurrency
from machine import describe_machine
from plots import plot_cpu, plot_latency_cpu, plot_overshoot, plot_suite
from delayed_write import HAND_1MS, WAKE_ON_PATH
from floors import add_sum_floor, below_floor_problems
from records import PUSH_FLOOR, WAKE_HINT
from tables import render_markdown

LANGUAGES = ("rust", "c", "python", "node")
SCENARIOS = ("overshoot", "cpu", "delayed_write", "eval_overhead", "suite", "emit", "concurrency")
# Rows every harness must measure, whatever it declares: the headline's ratios to the floor and the
# wake hint's CPU figure (issue 17) are computed from them. In suite, under every load measured.
REQUIRED_ROWS = {
    "overshoot": (WAKE_HINT, PUSH_FLOOR),
    "cpu": (WAKE_HINT, PUSH_FLOOR),
    "suite": (PUSH_FLOOR,),
    "delayed_write": (WAKE_ON_PATH, HAND_1MS, PUSH_FLOOR),
}


def load_languages(folder: Path) -> Dict[str, Dict[str, Any]]:
    found = {}
    for name in LANGUAGES:
        path = folder / f"{name}.json"
        if path.exists():
            found[name] = json.loads(path.read_text())
    return found


def completeness_problems(languages: Dict[str, Dict[str, Any]], expected: List[str]) -> List[str]:
    """What a harness should have measured and did not: a missing language, a scenario with no
    record, a library declared in `libraries` that appears in no record."""
    problems = [f"no results from the {lang} harness" for lang in expected if lang not in languages]
    for lang, data in languages.items():
        records = data.get("records", [])
        scenarios = {r["scenario"] for r in records}
        problems += [f"{lang}: no {s} records" for s in SCENARIOS if s not in scenarios]
        problems += missing_drivers(lang, records)
        problems += below_floor_problems(lang, data)
        for scenario, rows in REQUIRED_ROWS.items():
            loads = {r.get("load") for r in records if r["scenario"] == scenario} or {None}
            for lib in rows:
                for load in sorted(loads, key=str):
                    if not any(r["scenario"] == scenario and r["library"] == lib and r.get("load") == load
                               for r in records):
                        where = f" ({load})" if load else ""
                        problems.append(f"{lang}: no {lib!r} row in {scenario}{where}")
        used = {r["library"] for r in records}
        problems += [f"{lang}: library {lib!r} has no records" for lib in data.get("libraries", {}) if lib not in used]
        for r in records:
            numbers = [v for k, v in r.items() if k not in ("scenario", "library", "load", "case", "driver")]
            if any(isinstance(v, float) and v != v for v in numbers):
                problems.append(f"{lang}: NaN in {r}")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--command", default="make bench")
    parser.add_argument("--check", action="store_true", help="fail when a scenario or library is missing")
    parser.add_argument("--expect", default=",".join(LANGUAGES), help="languages that must be present")
    args = parser.parse_args()

    languages = load_languages(args.folder)
    for data in languages.values():
        add_sum_floor(data)
    problems = completeness_problems(languages, [x for x in args.expect.split(",") if x])
    # Re-rendering a run (a new plot, say) keeps the machine, date and commit it was measured at.
    previous = args.folder / "results.json"
    machine = json.loads(previous.read_text())["machine"] if previous.exists() else describe_machine()
    run = {"command": args.command, "machine": machine,
           "modes": sorted({d.get("mode", "?") for d in languages.values()}), "languages": languages}
    (args.folder / "results.json").write_text(json.dumps(run, indent=1) + "\n")
    (args.folder / "table.md").write_text(render_markdown(run))
    plot_overshoot(languages, args.folder / "overshoot.png")
    plot_cpu(languages, args.folder / "cpu.png")
    plot_suite(languages, args.folder / "suite.png")
    plot_concurrency(languages, args.folder / "concurrency.png")
    plot_latency_cpu(languages, args.folder / "latency_cpu.png")
    print(f"report: {args.folder / 'table.md'} (+ results.json, overshoot.png, cpu.png, suite.png, concurrency.png, latency_cpu.png)")
    for p in problems:
        print(f"report: {p}", file=sys.stderr)
    return 1 if problems and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
