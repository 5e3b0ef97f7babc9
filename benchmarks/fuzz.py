"""Hostile inputs at full size, and many more fuzz examples (issue #17 item 6).

    python benchmarks/fuzz.py                 # every case of tests/hostile.py, scale 8
    python benchmarks/fuzz.py --scale 1       # the test's sizes
    python benchmarks/fuzz.py --plain         # no --max-memory: csrscan's defaults (to
                                              # compare with an older csrscan on PYTHONPATH)
    python benchmarks/fuzz.py --examples 2000 # Hypothesis: readers and rule loader
    python benchmarks/fuzz.py --line-mib 100  # one report text on a single line
    python benchmarks/fuzz.py --batch 200     # compare, one file in ten poison

Prints one row per case: exit code, wall time, peak RSS of the whole process
tree (RUSAGE_CHILDREN of a wrapper) and the first line of stderr. A case that
ends otherwise than 0 or 2, prints a traceback or runs past --wall is marked
FAIL, and the script exits 1.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import hostile  # noqa: E402  (tests/ holds the generator the suite uses)
from runutil import run_measured  # noqa: E402


def run_cases(scale: int, plain: bool, wall: float, only: list[str]) -> bool:
    ok = True
    print("| case | exit | wall s | peak MiB | stderr (first line) |\n|---|---|---|---|---|")
    for kind in sorted(hostile.CASES):
        if only and kind not in only:
            continue
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            args = hostile.CASES[kind](folder, scale)
            extra = [] if plain else ["--max-memory", "2GiB"]
            if plain and "--timeout" in args:  # an older scan has no --timeout
                at = args.index("--timeout")
                args = args[:at] + args[at + 2:]
            try:
                run = run_measured(folder, "scan", *args, *extra, timeout=wall)
            except subprocess.TimeoutExpired:
                print(f"| {kind} | – | >{wall:g} | – | FAIL: no answer |")
                ok = False
                continue
        bad = run.code not in (0, 2) or "Traceback" in run.stderr
        ok = ok and not bad
        first = (run.stderr.strip().splitlines() or [""])[0][:110].replace("|", "/")
        print(f"| {kind} | {run.code} | {run.seconds:.1f} | {run.peak_mib:.0f} | "
              f"{'FAIL: ' if bad else ''}{first} |")
    return ok


def long_line(mib: int, wall: float) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = hostile.long_line_text(Path(tmp), mib)
        try:
            run = run_measured(Path(tmp), "scan", path.name, "--max-bytes", str(2**30),
                               timeout=wall)
        except subprocess.TimeoutExpired:
            print(f"one line of {mib} MiB: no answer in {wall:g} s")
            return
        print(f"one line of {mib} MiB: exit {run.code}, {run.seconds:.1f} s, "
              f"peak {run.peak_mib:.0f} MiB ({run.peak_mib / mib:.1f}x the input)")


def batch(count: int, wall: float) -> bool:
    """compare over `count` files, one in ten poison (a bomb, a hanging regex, a FIFO,
    nested HTML, a truncated PDF, in turn): every good row written, each poison listed."""
    from test_batch_end import _reports

    poison_makers = [
        lambda d, i: hostile.flate_bomb_pdf(d, 3000).rename(d / f"bomb{i}.pdf"),
        lambda d, i: hostile.a_line(d).rename(d / f"aaa{i}.txt"),
        lambda d, i: hostile.fifo(d, f"pipe{i}.txt"),
        lambda d, i: hostile.nested_html(d, 50_000).rename(d / f"nested{i}.html"),
        lambda d, i: (d / f"cut{i}.pdf").write_bytes(b"%PDF-1.7\n1 0 obj\n<<") and d,
    ]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        poison = count // 10
        good = _reports(folder, count - poison)
        for i in range(poison):
            poison_makers[i % len(poison_makers)](folder, i)
        hostile.hanging_pack(folder)
        fifos = sorted(p.name for p in folder.glob("pipe*.txt"))  # a folder lists files only
        run = run_measured(folder, "compare", ".", *fifos, "--rules", "evil.yaml", "-f", "csv",
                           "--progress", "none", "--timeout", "60", "--no-cache",
                           timeout=wall)
        rows = len(run.stdout.splitlines()) - 1
        failed = [line for line in run.stderr.splitlines() if line.startswith("csrscan: failed")]
        print(f"compare {count} files ({poison} poison): exit {run.code}, {run.seconds:.1f} s, "
              f"peak {run.peak_mib:.0f} MiB, {rows} rows of {len(good)} good, "
              f"{len(failed)} listed as failed")
        for line in failed[:len(poison_makers)]:
            print("  " + line[:150])
        return run.code == 2 and rows == len(good) and len(failed) == poison


def fuzz(examples: int) -> bool:
    """The suite's Hypothesis tests, with `examples` examples each."""
    env = {**os.environ, "CSRSCAN_FUZZ_EXAMPLES": str(examples)}
    code = subprocess.call([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                            str(ROOT / "tests" / "test_fuzz.py"), "-k", "readers or loader"],
                           cwd=ROOT, env=env)
    return code == 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=8)
    parser.add_argument("--plain", action="store_true")
    parser.add_argument("--wall", type=float, default=180.0)
    parser.add_argument("--examples", type=int, default=0)
    parser.add_argument("--line-mib", type=int, default=0)
    parser.add_argument("--case", action="append", default=[])
    parser.add_argument("--batch", type=int, default=0)
    args = parser.parse_args()
    ok = True
    if args.batch:
        ok = batch(args.batch, args.wall)
    elif args.line_mib:
        long_line(args.line_mib, args.wall)
    elif args.examples:
        ok = fuzz(args.examples)
    else:
        ok = run_cases(args.scale, args.plain, args.wall, args.case)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
