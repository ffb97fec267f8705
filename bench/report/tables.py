"""The run's Markdown: the machine and command, the headline ratios against the best peer (what
stays comparable when a shared machine's absolute times drift), then every figure."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple

from concurrency import concurrency_checks, concurrency_table
from records import Record, best_peer, libraries, select, suite_summary

LANGUAGE_NAMES = {"rust": "Rust", "c": "C", "python": "Python", "node": "Node"}


def _ratio(ours: Optional[float], best: Optional[Tuple[str, float]]) -> str:
    if ours is None or best is None or best[1] <= 0:
        return "–"
    return f"{ours / best[1]:.2f}× ({best[0]})"


def _table(header: List[str], rows: List[List[str]]) -> List[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines + [""]


def headline(languages: Dict[str, Dict[str, Any]]) -> List[str]:
    rows = []
    for lang, data in languages.items():
        recs: List[Record] = data["records"]
        cells = [LANGUAGE_NAMES.get(lang, lang)]
        over = []
        for ready in sorted({r["ready_ms"] for r in select(recs, "overshoot")}):
            p50 = {r["library"]: r["p50_ms"] for r in select(recs, "overshoot", ready_ms=ready)}
            best = best_peer(p50)
            ours, hint = p50.get("liveness"), p50.get("liveness + wake hint")
            if ours is not None and best:
                hinted = f" / {hint / best[1]:.2f}×" if hint is not None else ""
                over.append(f"{ready} ms: {ours / best[1]:.2f}×{hinted} ({best[0]}, {best[1]:.2f} ms)")
        cells.append("<br>".join(over) or "–")
        cpu = {r["library"]: r["cpu_ms_per_s"] for r in select(recs, "cpu")}
        cells.append(_ratio(cpu.get("liveness"), best_peer(cpu)))
        for load in ("idle", "hog"):
            s = suite_summary(recs, load)
            walls = {k: v["mean_s"] for k, v in s.items()}
            live = s.get("liveness")
            fail = f", {int(live['failures'])}/{int(live['tests'])} failed" if live else ""
            cells.append(_ratio(walls.get("liveness"), best_peer(walls)) + fail)
        evals = {r["library"]: r["evals_per_s"] for r in select(recs, "eval_overhead")}
        hand = evals.get("hand loop")
        cells.append(f"{hand / evals['liveness']:.2f}×" if hand and evals.get("liveness") else "–")
        rows.append(cells)
    header = ["language", "overshoot p50 ÷ best peer (defaults / wake hint)", "CPU while waiting ÷ best peer",
              "suite wall, idle ÷ best peer", "suite wall, CPU hog ÷ best peer", "time per evaluation ÷ hand loop"]
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


def render_markdown(run: Dict[str, Any]) -> str:
    m = run["machine"]
    out = [f"# liveness benchmarks: {m['date']}", "",
           f"`{run['command']}` (mode: {', '.join(run['modes'])}) on {m['cpu']}, {m['cores']} cores, "
           f"{m['memory_gib']} GiB, {m['os']}, kernel {m['kernel']}; commit {m['commit']}.", "",
           "## Headline: liveness ÷ the best peer in the same run (below 1 = liveness ahead)", "",
           "Peers are the other libraries and the hand-written loops; the plain sleep is not a peer. "
           "Overshoot and suite time: lower is better; CPU: lower is better.", ""]
    out += headline(run["languages"])
    out += ["![overshoot](overshoot.png)", "", "![cpu](cpu.png)", "", "![suite](suite.png)", ""]
    out += concurrency_section(run["languages"])
    for lang, data in run["languages"].items():
        recs = data["records"]
        out += [f"## {LANGUAGE_NAMES.get(lang, lang)} ({data.get('runtime', '')})", ""]
        out += ["### Libraries", ""] + library_table(data)
        out += ["### Overshoot", ""] + overshoot_table(recs)
        out += ["### CPU while waiting", ""] + cpu_table(recs)
        out += ["### Evaluation overhead", ""] + eval_table(recs)
        out += ["### Suite time (seed 004: 100 restarts of a singleton)", ""] + suite_table(recs)
        out += ["### Emit", ""] + emit_table(recs)
        out += ["### Concurrent waits", ""] + concurrency_table(recs)
    return "\n".join(out)
