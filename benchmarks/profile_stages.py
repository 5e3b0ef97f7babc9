#!/usr/bin/env python3
"""Where a scan spends its time: one-off costs, each stage, cProfile, import time.

    python benchmarks/profile_stages.py [--pages 300] [--repeat 3] [--top 15]

In-process, on benchmarks/out/long_<pages>p_emb.pdf (built if missing):
1. one-off costs, each measured on first use: pack load, opencc, pack
   compilation (automaton), the pack's tokenizer as a scan makes it (partial:
   text/tokens.py) and the full rjieba tokenizer (long texts, batches);
2. each stage (ingest, normalize, segment, match, score, render) with the
   library functions: first run and median of --repeat, plus the peak RSS
   reached after the stage;
3. cProfile of the whole CLI scan (`cli.main(["scan", …, "-f", "json"])` under cProfile),
   top functions by cumulative and by own time;
4. `python -X importtime -c 'import csrscan.cli.root'`: the biggest imports.
"""

from __future__ import annotations

import argparse
import pstats
import resource
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parent))

from inputs import OUT, build_all
from measure import NEUTRAL_CWD, ROOT, csrscan_env, median

T = TypeVar("T")


def rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_timed(fn: Callable[[], T]) -> tuple[tuple[float, float], T]:
    """(wall, CPU) seconds of one call, and its value: CPU time resists a busy machine."""
    wall, cpu = time.perf_counter(), time.process_time()
    value = fn()
    return (time.perf_counter() - wall, time.process_time() - cpu), value


def one_off_costs() -> dict[str, tuple[float, float]]:
    """First-use costs paid by every CLI scan, whatever the report size."""
    out: dict[str, tuple[float, float]] = {}
    out["import csrscan.pipeline"], _ = cpu_timed(lambda: __import__("csrscan.pipeline"))
    from csrscan.match.sentences import compile_pack
    from csrscan.packs.select import select_pack
    from csrscan.text.lexicon_store import usable_lexicon
    from csrscan.text.normalize import _t2s
    from csrscan.text.segment import tokenizer

    out["select_pack (YAML + schema)"], pack = cpu_timed(lambda: select_pack(None, ()))
    out["opencc t2s init"], _ = cpu_timed(_t2s)
    out["compile_pack (automaton)"], cp = cpu_timed(lambda: compile_pack(pack))
    out["lexicon (open; a first run builds it)"], _ = cpu_timed(usable_lexicon)
    first = "公司制定数据安全管理办法。"
    out["partial tokenizer, first cut (a scan)"], _ = cpu_timed(lambda: cp.engine().cut(first))
    out["full rjieba tokenizer + pack terms"], engine = cpu_timed(lambda: tokenizer(cp.words))
    out["full: first tokenize call"], _ = cpu_timed(lambda: engine.tokenize(first))
    return out


Timings = dict[str, list[tuple[float, float]]]


def ingest(path: Path, _: None) -> Any:
    from csrscan.ingest import IngestOptions, path_to_document

    return path_to_document(path, IngestOptions())


def match(sentences: Any, pack: Any) -> Any:
    from csrscan.match.sentences import sentences_to_evidence

    return sentences_to_evidence(sentences, pack)


def stage_costs(path: Path, repeat: int) -> tuple[Timings, dict[str, float], dict[str, int]]:
    """Seconds per stage for each repetition, peak RSS after each, and counts."""
    from csrscan.ingest import path_to_document
    from csrscan.match.sentences import compile_pack
    from csrscan.packs.select import select_pack
    from csrscan.render.report import render_json
    from csrscan.score.topics import evidence_to_topics
    from csrscan.text.normalize import document_to_normpages
    from csrscan.text.segment import normpages_to_sentences

    pack = select_pack(None, ())
    times: Timings = {}
    peaks: dict[str, float] = {}
    counts: dict[str, int] = {}
    for _ in range(repeat):
        steps: list[tuple[str, Callable[[Any], Any]]] = [
            ("ingest", partial(ingest, path)),
            ("normalize", document_to_normpages),
            ("segment", normpages_to_sentences),
            ("match", partial(match, pack=pack)),
            ("score", partial(evidence_to_topics, pack=pack)),
        ]
        value: Any = None
        for name, fn in steps:
            seconds, value = cpu_timed(partial(fn, value))
            times.setdefault(name, []).append(seconds)
            peaks[name] = rss_mib()
            counts[name] = len(value.pages) if name == "ingest" else len(value)
        from csrscan.stages import document_to_report

        report = document_to_report(path_to_document(path), pack)
        seconds, _ = cpu_timed(partial(render_json, report))
        times.setdefault("render_json", []).append(seconds)
        peaks["render_json"] = rss_mib()
    sentences = normpages_to_sentences(document_to_normpages(path_to_document(path)))
    cp = compile_pack(pack)
    counted = [s for s in sentences if s.context in ("body", "table")]
    hits = [{cp.terms[i] for i, _, _ in cp.automaton.find_matches_as_indexes(
        s.norm, overlapping=True)} for s in counted]
    counts["counted sentences"] = len(counted)
    counts["with an automaton hit (all tokenized now)"] = sum(1 for h in hits if h)
    counts["where some pattern is satisfiable by the raw hits alone"] = sum(
        1 for h in hits if h and satisfiable(cp, h))
    counts["chars"] = sum(len(s.norm) for s in sentences)
    return times, peaks, counts


def satisfiable(cp: Any, present: set[str]) -> bool:
    """Could any candidate indicator match, judging by term presence only (no tokens)?"""
    for k in {k for t in present for k in cp.by_term.get(t, ())} | {k for k, _ in cp.regexes}:
        for pat in cp.indicators[k].patterns:
            if pat.regex is not None or (
                    any(t in present for t in pat.terms) if pat.kind == "any"
                    else all(t in present for t in pat.terms)):
                return True
    return False


def cprofile_cli(path: Path, top: int, root: Path) -> None:
    prof = OUT / f"scan_{path.stem}.prof"
    # cli.main, not `-m csrscan`: the command's fast exit would skip writing the profile
    script = OUT / "cli_main.py"
    script.write_text("import sys\nfrom csrscan.cli.root import main\nmain(sys.argv[1:])\n",
                      encoding="utf-8")
    cmd = [sys.executable, "-m", "cProfile", "-o", str(prof), str(script), "scan",
           str(path), "--format", "json"]
    subprocess.run(cmd, env=csrscan_env(root), stdout=subprocess.DEVNULL, check=True,
                   cwd=NEUTRAL_CWD)
    for key, only in (("cumulative", ""), ("cumulative", "csrscan/"), ("tottime", "")):
        where = f", functions in {only}" if only else ""
        print(f"\n## cProfile of `csrscan scan {path.name} -f json`, top {top} by {key}{where} "
              f"(saved to {prof.relative_to(OUT.parent.parent)})")
        stats = pstats.Stats(str(prof))
        if only:
            stats.sort_stats(key).print_stats(only, top)
        else:
            stats.sort_stats(key).print_stats(top)


def import_offenders(top: int, root: Path) -> None:
    cmd = [sys.executable, "-X", "importtime", "-c", "import csrscan.cli.root"]
    err = subprocess.run(cmd, env=csrscan_env(root), capture_output=True, text=True,
                         check=True, cwd=NEUTRAL_CWD).stderr
    rows = []
    for line in err.splitlines():
        parts = line.removeprefix("import time:").split("|")
        if len(parts) == 3 and parts[0].strip().isdigit():
            rows.append((int(parts[1]), int(parts[0]), parts[2].rstrip()))
    total = max(r[0] for r in rows)
    print(f"\n## python -X importtime -c 'import csrscan.cli.root': {total / 1e6:.3f} s total; "
          f"top {top} by cumulative µs (self µs)")
    for cumulative, own, name in sorted(rows, reverse=True)[:top]:
        print(f"{cumulative:>9} {own:>8}  {name}")


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=300, choices=(1, 100, 300, 1000))
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--top", type=int, default=15)
    ap.add_argument("--root", type=Path, default=ROOT,
                    help="csrscan checkout to profile (default: this worktree)")
    args = ap.parse_args(argv)
    # The shared venv has another checkout installed editable: put the measured one first.
    sys.path.insert(0, str(args.root.resolve()))
    longs, _, _ = build_all(long_pages=(args.pages,))
    path = longs[0]
    import csrscan

    print(f"csrscan {csrscan.__version__} from {Path(csrscan.__file__).parent}")
    print(f"# one-off costs (first use, in-process; wall / CPU s), "
          f"peak RSS {rss_mib():.0f} MiB before")
    for name, (seconds, cpu_s) in one_off_costs().items():
        print(f"{name:<34} {seconds:7.3f} {cpu_s:7.3f}")
    print(f"peak RSS after one-off costs: {rss_mib():.0f} MiB")
    times, peaks, counts = stage_costs(path, args.repeat)
    cpu = {name: median([c for _, c in v]) for name, v in times.items()}
    wall = {name: median([w for w, _ in v]) for name, v in times.items()}
    total = sum(cpu.values())
    print(f"\n# stages on {path.name}: CPU s first run / median of {args.repeat}, share of "
          f"CPU, median wall s, peak RSS after the stage")
    for name, values in times.items():
        print(f"{name:<12} {values[0][1]:7.3f} {cpu[name]:7.3f} {100 * cpu[name] / total:5.1f} % "
              f"{wall[name]:7.3f}  {peaks[name]:6.0f} MiB")
    print(f"{'total':<12} {'':7} {total:7.3f}         {sum(wall.values()):7.3f}")
    print("counts: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    cprofile_cli(path, args.top, args.root)
    import_offenders(args.top, args.root)
    return 0


if __name__ == "__main__":
    sys.exit(main())
