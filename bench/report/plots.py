"""The run's PNG plots, one panel per language: overshoot by ready time, CPU while waiting, suite
time idle and under a CPU hog, and latency against CPU (each library one point). Log scales,
since the peers span three orders of magnitude."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict

import matplotlib

matplotlib.use("Agg")  # no display on a CI machine
import matplotlib.ticker  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402

from records import is_floor, is_liveness, libraries, overshoot_p50_median, select, suite_summary  # noqa: E402
from tables import LANGUAGE_NAMES  # noqa: E402

Languages = Dict[str, Dict[str, Any]]


def _style(library: str) -> Dict[str, Any]:
    # liveness stands out; peers share thin lines so that the eye finds ours first.
    if is_liveness(library):
        return {"linewidth": 2.6, "linestyle": "-" if library == "liveness" else "--", "zorder": 3}
    if library.startswith("hand loop"):
        return {"linewidth": 1.2, "linestyle": ":", "zorder": 2}
    return {"linewidth": 1.2, "linestyle": "-", "zorder": 2}


def _panels(count: int, title: str, width: float = 6.4, height: float = 4.6):
    """A grid two panels wide, one panel per language; unused cells are hidden."""
    cols = 2 if count > 1 else 1
    rows = (max(count, 1) + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(width * cols, height * rows), squeeze=False)
    fig.suptitle(title)
    flat = list(axes.flat)
    for ax in flat[count:]:
        ax.set_visible(False)
    return fig, flat[:max(count, 1)]


def plot_overshoot(languages: Languages, out: Path) -> None:
    fig, axes = _panels(len(languages), "Overshoot: condition true → wait returned (p50, ms; lower is better)")
    for ax, (lang, data) in zip(axes, languages.items()):
        recs = select(data["records"], "overshoot")
        for lib in libraries(recs):
            points = sorted((r["ready_ms"], r["p50_ms"]) for r in recs if r["library"] == lib)
            ax.plot([p[0] for p in points], [max(p[1], 1e-3) for p in points], marker="o", label=lib, **_style(lib))
        ax.set(xscale="log", yscale="log", xlabel="condition true after (ms)", title=LANGUAGE_NAMES.get(lang, lang))
        ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:g}"))
        ax.grid(True, which="both", alpha=0.3)
        ax.set_ylabel("overshoot p50 (ms)")
        ax.legend(fontsize=7, loc="center left", bbox_to_anchor=(1.01, 0.5))
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)


def plot_cpu(languages: Languages, out: Path) -> None:
    fig, axes = _panels(len(languages), "CPU while waiting on a cheap probe (ms of CPU per s; lower is better)")
    for ax, (lang, data) in zip(axes, languages.items()):
        recs = select(data["records"], "cpu")
        names = [r["library"] for r in recs]
        values = [max(r["cpu_ms_per_s"], 1e-3) for r in recs]
        colors = ["tab:green" if is_liveness(n) else "tab:gray" for n in names]
        ax.barh(names, values, color=colors)
        ax.set(title=LANGUAGE_NAMES.get(lang, lang), xlabel="CPU ms per s")
        if values and max(values) / min(values) > 30:
            # A busy loop next to a once-a-second poll: only a log axis shows both; start it well
            # below the smallest bar so that every bar has a visible length.
            ax.set_xscale("log")
            ax.set_xlim(left=min(values) / 3)
            ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:g}"))
        ax.invert_yaxis()
        ax.tick_params(axis="y", labelsize=7)
        for y, v in enumerate(values):
            ax.annotate(f"{v:.2f}", (v, y), xytext=(3, 0), textcoords="offset points", va="center", fontsize=7)
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)


def plot_suite(languages: Languages, out: Path) -> None:
    sizes = {r.get("suite_tests", r["tests"]) for d in languages.values() for r in select(d["records"], "suite")}
    size = "/".join(str(s) for s in sorted(sizes)) or "?"
    fig, axes = _panels(len(languages), f"Suite time: {size} singleton restarts per run "
                        "(mean s per run; labels: failed tests; * cut short by the time budget, scaled)", height=4.6)
    for ax, (lang, data) in zip(axes, languages.items()):
        idle, hog = suite_summary(data["records"], "idle"), suite_summary(data["records"], "hog")
        names = list(dict.fromkeys(list(idle) + list(hog)))
        for offset, (load, summary, color) in enumerate((("idle", idle, "tab:blue"), ("CPU hog", hog, "tab:red"))):
            ys = [i + (offset - 0.5) * 0.4 for i in range(len(names))]
            values = [summary[n]["mean_s"] if n in summary else 0 for n in names]
            ax.barh(ys, values, height=0.38, color=color, label=load)
            for y, n, v in zip(ys, names, values):
                if n in summary:
                    label = f"{int(summary[n]['failures'])} failed" + (" *" if summary[n]["cut_short"] else "")
                    ax.annotate(label, (v, y), xytext=(3, 0), textcoords="offset points", va="center", fontsize=6)
        ax.set_yticks(range(len(names)), names, fontsize=7)
        ax.invert_yaxis()
        ax.set(title=LANGUAGE_NAMES.get(lang, lang), xlabel="wall s per run (mean)")
        ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)


def plot_latency_cpu(languages: Languages, out: Path) -> None:
    """Each library that has both figures as one labelled point: overshoot p50 (the median over
    the ready times measured) against CPU per second of waiting. The lower left is better;
    polling trades one for the other along a diagonal, a wake source leaves it."""
    fig, axes = _panels(len(languages), "Latency against CPU: overshoot p50 (median over the ready times) "
                        "vs CPU per s of waiting (log axes; lower left is better)")
    for ax, (lang, data) in zip(axes, languages.items()):
        latency = overshoot_p50_median(data["records"])
        cpu = {r["library"]: r["cpu_ms_per_s"] for r in select(data["records"], "cpu")}
        for lib in [lib for lib in latency if lib in cpu]:
            # Clamped so that a floor at ~0 still has a place on a log axis.
            x, y = max(cpu[lib], 1e-3), max(latency[lib], 1e-3)
            color = "tab:green" if is_liveness(lib) else "tab:blue" if is_floor(lib) else "tab:gray"
            ax.scatter([x], [y], color=color, s=60 if is_liveness(lib) or is_floor(lib) else 30, zorder=3)
            ax.annotate(lib, (x, y), xytext=(4, 3), textcoords="offset points", fontsize=7)
        ax.set(xscale="log", yscale="log", xlabel="CPU ms per s of waiting", ylabel="overshoot p50 (ms)",
               title=LANGUAGE_NAMES.get(lang, lang))
        for axis in (ax.xaxis, ax.yaxis):
            axis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:g}"))
            axis.set_minor_formatter(matplotlib.ticker.NullFormatter())  # a narrow span labels minors
        ax.grid(True, which="both", alpha=0.3)
        ax.margins(0.15)
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)
