"""The run's Markdown: the machine and command, the headline ratios against the best peer and
against the floor (what stays comparable when a shared machine's absolute times drift), then
every figure."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple

from concurrency import concurrency_checks, concurrency_table
from delayed_write import delayed_write_table, wake_checks
from records import PUSH_FLOOR, SUM_FLOOR, WAKE_HINT, Record, best_peer, libraries, select, suite_summary

LANGUAGE_NAMES = {"rust": "Rust", "c": "C", "python": "Python", "node": "Node"}


def _ratio(ours: Optional[float], best: Optional[Tuple[str, float]]) -> str:
    if ours is None or best is None or best[1] <= 0:
        return "–"
    return f"{ours / best[1]:.2f}× ({best[0]})"


def _times(ours: Optional[float], floor: Optional[float], name: str) -> Optional[str]:
    """`ours` as a multiple of a floor, or None when either is missing (or the floor is 0)."""
    if ours is None or floor is None or floor <= 0:
        return None
    return f"{ours / floor:.2f}× {name}"


def _table(header: List[str], rows: List[List[str]]) -> List[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines + [""]


def _overshoot_cell(recs: List[Record]) -> str:
    """Per ready time: liveness (defaults / wake hint) ÷ the best peer's p50, then how far above
    the push waiter's p50 each is, in ms (a ratio to a near-zero floor would say nothing)."""
    over = []
    for ready in sorted({r["ready_ms"] for r in select(recs, "overshoot")}):
        p50 = {r["library"]: r["p50_ms"] for r in select(recs, "overshoot", ready_ms=ready)}
        best = best_peer(p50)
        ours, hint, floor = p50.get("liveness"), p50.get(WAKE_HINT), p50.get(PUSH_FLOOR)
        if ours is None or not best:
            continue
        hinted = f" / {hint / best[1]:.2f}×" if hint is not None else ""
        cell = f"{ready} ms: {ours / best[1]:.2f}×{hinted} ({best[0]}, {best[1]:.2f} ms)"
        if floor is not None:
            above = f"+{ours - floor:.2f}" + (f" / +{hint - floor:.2f}" if hint is not None else "")
            cell += f"; {above} ms over the push waiter ({floor:.3f} ms)"
        over.append(cell)
    return "<br>".join(over) or "–"


def _cpu_cell(recs: List[Record]) -> str:
    cpu = {r["library"]: r["cpu_ms_per_s"] for r in select(recs, "cpu")}
    ours, hint, floor = cpu.get("liveness"), cpu.get(WAKE_HINT), cpu.get(PUSH_FLOOR)
    cell = _ratio(ours, best_peer(cpu))
    vs_floor = _times(ours, floor, "push waiter")
    if vs_floor:
        cell += f"; {vs_floor} ({floor:.3f} ms/s)"
    if hint is not None:
        parts = [_times(hint, cpu.get("hand loop 1 ms"), "hand loop 1 ms"), _times(hint, floor, "push waiter")]
        cell += "<br>wake hint: " + (", ".join(p for p in parts if p) or f"{hint:.2f} ms/s")
    return cell


def _suite_cell(recs: List[Record], load: str) -> str:
    s = suite_summary(recs, load)
    walls = {k: v["mean_s"] for k, v in s.items()}
    ours = walls.get("liveness")
    cell = _ratio(ours, best_peer(walls))
    floors = [_times(ours, walls.get(SUM_FLOOR), "sum of delays"), _times(ours, walls.get(PUSH_FLOOR), "push waiter")]
    floors = [f for f in floors if f]
    if floors:
        cell += "; " + ", ".join(floors)
    live = s.get("liveness")
    return cell + (f", {int(live['failures'])}/{int(live['tests'])} failed" if live else "")


def headline(languages: Dict[str, Dict[str, Any]]) -> List[str]:
    rows = []
    for lang, data in languages.items():
        recs: List[Record] = data["records"]
        cells = [LANGUAGE_NAMES.get(lang, lang), _overshoot_cell(recs), _cpu_cell(recs),
                 _suite_cell(recs, "idle"), _suite_cell(recs, "hog")]
        evals = {r["library"]: r["evals_per_s"] for r in select(recs, "eval_overhead")}
        hand = evals.get("hand loop")
        cells.append(f"{hand / evals['liveness']:.2f}×" if hand and evals.get("liveness") else "–")
        rows.append(cells)
    header = ["language",
              "overshoot p50 ÷ best peer (defaults / wake hint); distance to the floor",
              "CPU while waiting ÷ best peer; ÷ the floor; with a wake hint",
              "suite wall, idle ÷ best peer; ÷ the floors", "suite wall, CPU hog ÷ best peer; ÷ the floors",
              "time per evaluation ÷ hand loop"]
    return _table(header, rows)


def overshoot_table(recs: List[Record]) -> List[str]:
    readies = sorted({r["ready_ms"] for r in select(recs, "overshoot")})
    rows = []
    for lib in libraries(select(recs, "overshoot")):
        row = [lib]
        for ready in readies:
            hit = select(recs, "overshoot", library=lib, ready_ms=ready)
            row.append(f"{hit[0]['p50_ms']:.2f} / {hit[0]['p99_ms']:.2f} (n={hit[0]['n']})" if hit else "–")
        rows.append(row)
    return _table(["library"] + [f"ready at {r} ms: p50 / p99 ms" for r in readies], rows)


def cpu_table(recs: List[Record]) -> List[str]:
    rows = [[r["library"], f"{r['cpu_ms_per_s']:.2f}", f"{r['cpu_ms_per_s'] / 10:.2f} %"] for r in select(recs, "cpu")]
    return _table(["library", "CPU ms per s of waiting", "of one core"], rows)


def eval_table(recs: List[Record]) -> List[str]:
    evals = select(recs, "eval_overhead")
    hand = next((r["evals_per_s"] for r in evals if r["library"] == "hand loop"), None)
    rows = [[r["library"], f"{r['interval_s'] * 1000:g} ms", f"{r['evals_per_s']:,.0f}",
             f"{hand / r['evals_per_s']:.2f}×" if hand else "–"] for r in evals]
    return _table(["library", "interval", "evaluations per s", "time per evaluation ÷ hand loop"], rows)


def suite_table(recs: List[Record]) -> List[str]:
    rows = []
    for load in ("idle", "hog"):
        for lib, s in suite_summary(recs, load).items():
            scaled = "*" if s["cut_short"] else ""
            rows.append([load, lib, f"{s['mean_s']:.2f}{scaled} ({s['min_s']:.2f}–{s['max_s']:.2f})",
                         f"{int(s['failures'])} / {int(s['tests'])}"])
    return _table(["load", "library", "wall s per run: mean (min–max)", "failed tests / tests run"], rows) + [
        "\\* the run passed its time budget and stopped early; its wall time is scaled to the whole suite "
        "at the pace it kept.", ""]


def emit_table(recs: List[Record]) -> List[str]:
    rows = [[r["case"], r["library"], f"{r['ns_per_emit']:.1f}"] for r in select(recs, "emit")]
    return _table(["case", "mechanism", "ns per emit"], rows)


def library_table(data: Dict[str, Any]) -> List[str]:
    rows = [[name, str(v.get("version", "")), str(v.get("settings", ""))] for name, v in data["libraries"].items()]
    return _table(["library", "version", "settings"], rows)


def concurrency_section(languages: Dict[str, Dict[str, Any]]) -> List[str]:
    out = ["## Concurrent waits: issue 19's targets (computed from this run, not asserted)", "",
           "liveness against the hand loop at 50 ms of the same driver and run; the figures per N are in each "
           "language's *Concurrent waits* table.", "", "![concurrency](concurrency.png)", ""]
    for lang, data in languages.items():
        out += [f"**{LANGUAGE_NAMES.get(lang, lang)}**", ""] + concurrency_checks(data["records"])
    return out


def wake_section(languages: Dict[str, Dict[str, Any]]) -> List[str]:
    out = ["## Waking without polling: issue 17's targets (computed from this run, not asserted)", "",
           "`liveness + wake_on_path` on seed 004's delayed write and `liveness + wake hint` in the cpu scenario, "
           "against the hand loop at 1 ms of the same run; the figures are in each language's *Delayed write* "
           "and *CPU while waiting* tables.", ""]
    for lang, data in languages.items():
        out += [f"**{LANGUAGE_NAMES.get(lang, lang)}**", ""] + wake_checks(data["records"])
    return out


def render_markdown(run: Dict[str, Any]) -> str:
    m = run["machine"]
    out = [f"# liveness benchmarks: {m['date']}", "",
           f"`{run['command']}` (mode: {', '.join(run['modes'])}) on {m['cpu']}, {m['cores']} cores, "
           f"{m['memory_gib']} GiB, {m['os']}, kernel {m['kernel']}; commit {m['commit']}.", "",
           "## Headline: liveness ÷ the best peer and ÷ the floor, in the same run (below 1 = liveness ahead)",
           "",
           "Peers are the other libraries and the hand-written loops; the plain sleep is not a peer, nor are "
           "the floors: `floor (push waiter)` waits on a condition variable / `threading.Event` / Promise that "
           "the system under test notifies right after the condition flips (no polling: the physical limit "
           "for a system written to be waited for), `floor (sum of delays)` is the sum of the suite's "
           "shutdown delays a run waits for (computed). Overshoot and suite time: lower is better; CPU: "
           "lower is better.", ""]
    out += headline(run["languages"])
    out += ["![overshoot](overshoot.png)", "", "![cpu](cpu.png)", "", "![suite](suite.png)", "",
            "Latency against CPU: each library's overshoot p50 (the median over the ready times measured) "
            "against its CPU per second of waiting, log axes; the lower left is better, and the floor sits "
            "there.", "", "![latency against CPU](latency_cpu.png)", ""]
    out += concurrency_section(run["languages"])
    out += wake_section(run["languages"])
    for lang, data in run["languages"].items():
        recs = data["records"]
        out += [f"## {LANGUAGE_NAMES.get(lang, lang)} ({data.get('runtime', '')})", ""]
        out += ["### Libraries", ""] + library_table(data)
        out += ["### Overshoot", ""] + overshoot_table(recs)
        out += ["### CPU while waiting", ""] + cpu_table(recs)
        out += ["### Delayed write (seed 004: a result file written after a while)", ""] + delayed_write_table(recs)
        out += ["### Evaluation overhead", ""] + eval_table(recs)
        out += ["### Suite time (seed 004: 100 restarts of a singleton)", ""] + suite_table(recs)
        out += ["### Emit", ""] + emit_table(recs)
        out += ["### Concurrent waits", ""] + concurrency_table(recs)
    return "\n".join(out)
