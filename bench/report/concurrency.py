"""The concurrency scenario's part of the report (issue 19): per language and driver a table with
one row per N and one column per library (liveness, the hand loops, the peers), issue 19's targets
checked against the hand loop at 50 ms of the same run, and the plot concurrency.png (CPU and
overshoot p50 against N, log scales)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Optional

from records import Record, is_liveness, libraries, select

# The drivers each harness must measure (a harness that drops one fails `report.py --check`).
EXPECTED_DRIVERS = {"rust": ("threads", "tokio"), "c": ("threads",), "python": ("threads", "asyncio"),
                    "node": ("event loop",)}
BASELINE = "hand loop 50 ms"
# Issue 19's targets.
CPU_FROM_N, CPU_RATIO = 100, 2.0
P50_CAP_UP_TO_N, P50_CAP_MS = 100, 2.0
MAX_OVERSHOOT_MS = 100.0


def drivers(recs: List[Record]) -> List[str]:
    return list(dict.fromkeys(r["driver"] for r in select(recs, "concurrency")))


def missing_drivers(lang: str, recs: List[Record]) -> List[str]:
    have = set(drivers(recs))
    return [f"{lang}: no concurrency records for driver {d!r}" for d in EXPECTED_DRIVERS.get(lang, ()) if d not in have]


def _cell(r: Optional[Record]) -> str:
    if r is None:
        return "–"
    text = f"{r['cpu_ms']:.0f} / {r['overshoot_p50_ms']:.2f} / {r['overshoot_p99_ms']:.2f} / {r['overshoot_max_ms']:.1f}"
    if "loop_delay_p99_ms" in r:
        text += f" ({r['loop_delay_p99_ms']:.1f})"
    return text


def _table(header: List[str], rows: List[List[str]]) -> List[str]:
    from tables import _table as table  # tables imports this module: a late import breaks the cycle

    return table(header, rows)


def concurrency_table(recs: List[Record]) -> List[str]:
    out: List[str] = []
    for driver in drivers(recs):
        mine = select(recs, "concurrency", driver=driver)
        libs = libraries(mine)
        rows = []
        for n in sorted({r["n"] for r in mine}):
            row = [str(n)]
            for lib in libs:
                hit = select(mine, "concurrency", library=lib, n=n)
                row.append(_cell(hit[0] if hit else None))
            rows.append(row)
        delay = " (event-loop delay p99 ms)" if any("loop_delay_p99_ms" in r for r in mine) else ""
        out += [f"Driver **{driver}**: CPU ms over the whole wait / overshoot p50 / p99 / max ms{delay}; "
                f"the probe comes true {min(r['ready_ms'] for r in mine):.0f}–{max(r['ready_ms'] for r in mine):.0f} ms "
                "after the waits start (each N its own phase).", ""]
        out += _table(["N"] + libs, rows)
    return out


def verdict(ok: bool) -> str:
    return "pass" if ok else "**FAIL**"


def concurrency_checks(recs: List[Record]) -> List[str]:
    """Issue 19's targets for liveness, per driver, against the 50 ms hand loop of the same run."""
    lines: List[str] = []
    for driver in drivers(recs):
        mine = select(recs, "concurrency", driver=driver)
        ours = {r["n"]: r for r in mine if r["library"] == "liveness"}
        base = {r["n"]: r for r in mine if r["library"] == BASELINE}
        if not ours or not base:
            lines.append(f"- {driver}: no liveness or {BASELINE} records to check")
            continue
        cpu = [(n, ours[n]["cpu_ms"] / base[n]["cpu_ms"] if base[n]["cpu_ms"] > 0 else float("inf"))
               for n in sorted(ours) if n >= CPU_FROM_N and n in base]
        if cpu:
            lines.append(f"- {driver}: {verdict(all(x <= CPU_RATIO for _, x in cpu))}: CPU at N ≥ {CPU_FROM_N} "
                         f"≤ {CPU_RATIO:g}× the 50 ms loop's: " + ", ".join(f"N={n} {x:.2f}×" for n, x in cpu))
        p50 = [(n, ours[n]["overshoot_p50_ms"], base[n]["overshoot_p50_ms"]) for n in sorted(ours) if n in base]
        lines.append(f"- {driver}: {verdict(all(a <= b for _, a, b in p50))}: overshoot p50 ≤ the 50 ms loop's at "
                     "every N: " + ", ".join(f"N={n} {a:.2f} vs {b:.2f} ms" for n, a, b in p50))
        small = [(n, r["overshoot_p50_ms"]) for n, r in sorted(ours.items()) if n <= P50_CAP_UP_TO_N]
        lines.append(f"- {driver}: {verdict(all(v <= P50_CAP_MS for _, v in small))}: overshoot p50 ≤ "
                     f"{P50_CAP_MS:g} ms up to N = {P50_CAP_UP_TO_N}: " + ", ".join(f"N={n} {v:.2f} ms" for n, v in small))
        worst = max(ours.items(), key=lambda kv: kv[1]["overshoot_max_ms"])
        lines.append(f"- {driver}: {verdict(worst[1]['overshoot_max_ms'] <= MAX_OVERSHOOT_MS)}: no wait overshoots "
                     f"by more than {MAX_OVERSHOOT_MS:g} ms: worst {worst[1]['overshoot_max_ms']:.1f} ms at N={worst[0]}")
    return lines + [""]


def plot_concurrency(languages: Dict[str, Dict[str, Any]], out: Path) -> None:
    import matplotlib.pyplot as plt
    import matplotlib.ticker

    from plots import _style
    from tables import LANGUAGE_NAMES

    count = max(len(languages), 1)
    fig, axes = plt.subplots(count, 2, figsize=(13, 4.2 * count), squeeze=False)
    fig.suptitle("Concurrent waits on one cheap probe: CPU over the whole wait and overshoot p50 against N "
                 "(lower is better)")
    for row, (lang, data) in zip(axes, languages.items()):
        recs = select(data["records"], "concurrency")
        for driver in drivers(recs):
            for lib in libraries(select(recs, "concurrency", driver=driver)):
                points = sorted((r["n"], r["cpu_ms"], r["overshoot_p50_ms"])
                                for r in recs if r["driver"] == driver and r["library"] == lib)
                label = f"{lib} ({driver})"
                style = _style(lib)
                if not is_liveness(lib):
                    style["linewidth"] = 1.0
                for ax, k in ((row[0], 1), (row[1], 2)):
                    ax.plot([p[0] for p in points], [max(p[k], 1e-2) for p in points],
                            marker="o" if driver == "threads" else "s", label=label, **style)
        name = LANGUAGE_NAMES.get(lang, lang)
        row[0].set(title=f"{name}: CPU (ms over the wait)", xlabel="concurrent waits N", ylabel="CPU ms")
        row[1].set(title=f"{name}: overshoot p50 (ms)", xlabel="concurrent waits N", ylabel="overshoot p50 ms")
        for ax in row:
            ax.set(xscale="log", yscale="log")
            ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:g}"))
            ax.yaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
            ax.grid(True, which="both", alpha=0.3)
        row[1].legend(fontsize=6, loc="center left", bbox_to_anchor=(1.01, 0.5))
    fig.tight_layout()
    fig.savefig(out, dpi=100)
    plt.close(fig)
