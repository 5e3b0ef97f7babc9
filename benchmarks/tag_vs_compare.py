"""`csrscan tag` against `csrscan compare` over one folder (issue #15).

    python benchmarks/tag_vs_compare.py [FOLDER] [--repeat 3] [--jobs N]

Runs `compare FOLDER -f csv` and `tag FOLDER -f csv` (and `tag --all-sentences`)
as child processes with a shared, warmed text cache (both read the same cached
documents, so the figure is the cost of tagging over scanning), alternately,
REPEAT times each, and prints the median wall time and CPU time (command and
workers: the steadier figure on a shared machine), the ratios tag/compare and
the parent process's peak RSS (the workers are separate processes: the peak
of the parent is what grows if rows were held). Then it tags the first third
of the folder's files and the whole folder, to show that the parent's memory
does not grow with the batch. Default FOLDER: ../shared/corpus/reports2016.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WRAPPER = ("import resource, sys\n"
           "from csrscan.cli.root import main\n"
           "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
           "print('maxrss', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "
           "file=sys.stderr)\n")


CPU: dict[str, list[float]] = {}


def run(args: list[str], cache: str, name: str = "") -> tuple[float, int]:
    """Wall seconds and the parent's peak RSS (MiB); CPU seconds of the command
    and its workers (wait4: the workers are reaped by it) go to CPU[name]."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CSRSCAN_CACHE_DIR": cache}
    start = time.perf_counter()
    with tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen([sys.executable, "-c", WRAPPER, *args], env=env,
                                stdout=subprocess.DEVNULL, stderr=err)
        _, _, usage = os.wait4(proc.pid, 0)
        proc.returncode = 0  # reaped above
        seconds = time.perf_counter() - start
        err.seek(0)
        stderr = err.read()
    CPU.setdefault(name, []).append(usage.ru_utime + usage.ru_stime)
    rss = [int(line.split()[1]) for line in stderr.splitlines() if line.startswith("maxrss")]
    if not rss:
        raise SystemExit(f"failed: {args}: {stderr[-500:]}")
    return seconds, rss[0] // 1024


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("folder", nargs="?", default=str(ROOT.parent / "shared/corpus/reports2016"))
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    a = ap.parse_args()
    common = ["--progress", "none", "-j", str(a.jobs)]
    out = tempfile.mkdtemp(prefix="tagbench-")
    commands = {
        "compare": ["compare", a.folder, "-f", "csv", "-o", f"{out}/m.csv", *common],
        "tag": ["tag", a.folder, "-f", "csv", "-o", f"{out}/t.csv", *common],
        "tag --all-sentences": ["tag", a.folder, "--all-sentences", "-f", "csv",
                                "-o", f"{out}/a.csv", *common],
    }
    with tempfile.TemporaryDirectory(prefix="tagbench-cache-") as cache:
        run(commands["compare"], cache)  # warm the text cache for both
        times: dict[str, list[float]] = {k: [] for k in commands}
        peaks: dict[str, int] = {}
        for _ in range(a.repeat):
            for name, args in commands.items():
                seconds, rss = run(args, cache, name)
                times[name].append(seconds)
                peaks[name] = max(peaks.get(name, 0), rss)
        base = statistics.median(times["compare"])
        cpu_base = statistics.median(CPU["compare"])
        print(f"{a.folder}: jobs {a.jobs}, "
              f"median of {a.repeat}")
        for name, ts in times.items():
            med = statistics.median(ts)
            cpu = statistics.median(CPU[name])
            print(f"  {name:22s} wall {med:6.2f} s ×{med / base:4.2f}  CPU {cpu:6.2f} s "
                  f"×{cpu / cpu_base:4.2f}  parent peak RSS {peaks[name]} MiB")
        files = sorted(str(p) for p in Path(a.folder).rglob("*.txt"))
        third = files[: max(1, len(files) // 3)]
        _, small = run(["tag", *third, "--all-sentences", "-f", "csv", "-o", f"{out}/s.csv",
                        *common], cache)
        _, whole = run(commands["tag --all-sentences"], cache)
        print(f"  parent peak RSS, tag --all-sentences: {len(third)} files {small} MiB, "
              f"{len(files)} files {whole} MiB")
        for name in ("t.csv", "a.csv"):
            rows = len(Path(out, name).read_text(encoding="utf-8").splitlines()) - 1
            print(f"  {name}: {rows} rows")


if __name__ == "__main__":
    main()
