"""The demo's table as a bar chart: one panel per scenario, the doors side by side, one bar per
variant (each `sleep` before, liveness after), labelled with its failures.

    python demo/chart.py SCENARIOS.json DIR OUT.png DOOR...

Reads DIR/<door>.json (the files the doors write, see examples/src/demo/results.rs).
"""

import json
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display on CI or over ssh
import matplotlib.pyplot as plt


def main(scenarios_path: str, directory: str, out: str, *doors: str) -> None:
    scenarios = [s["name"] for s in json.loads(Path(scenarios_path).read_text())["scenarios"]]
    rows = [(door, row) for door in doors for row in json.loads((Path(directory) / f"{door}.json").read_text())["rows"]]
    fig, axes = plt.subplots(len(scenarios), 1, figsize=(10, 2.6 * len(scenarios)), squeeze=False)
    for ax, scenario in zip(axes[:, 0], scenarios, strict=True):
        mine = [(door, row) for door, row in rows if row["scenario"] == scenario]
        labels = [f"{door}\n{row['variant']}" for door, row in mine]
        seconds = [row["wall_ms"] / 1000 for _, row in mine]
        colours = ["tab:green" if row["variant"] == "liveness" else "tab:grey" for _, row in mine]
        bars = ax.bar(range(len(mine)), seconds, color=colours)
        for bar, (_, row) in zip(bars, mine, strict=True):
            failed = f"{row['failures']}/{row['tests']} failed"
            ax.annotate(
                failed, (bar.get_x() + bar.get_width() / 2, bar.get_height()), ha="center", va="bottom", fontsize=7
            )
        ax.set_xticks(range(len(mine)), labels, fontsize=7)
        ax.set_ylabel("wall time (s)")
        ax.set_title(scenario, fontsize=9)
        ax.margins(y=0.2)
    fig.suptitle("make demo: sleeps (grey) against liveness (green), per door")
    fig.tight_layout()
    fig.savefig(out, dpi=110)


if __name__ == "__main__":
    main(*sys.argv[1:])
