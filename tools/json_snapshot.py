"""Snapshot `csrscan scan -f json` of many files, or compare two snapshots.

A refactor that must not change behaviour is checked with it:

    python tools/json_snapshot.py take /tmp/before          # on the old commit
    python tools/json_snapshot.py take /tmp/after           # on the new one
    python tools/json_snapshot.py diff /tmp/before /tmp/after

`take` scans every file under samples/, tests/fixtures/ and, when present,
../shared/corpus, with `--all-evidence`, and keeps each file's stdout, stderr
and exit code (errors are behaviour too). `diff` lists the files whose output
differs and exits 1 if any does.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TREES = (ROOT / "samples", ROOT / "tests" / "fixtures", ROOT.parent / "shared" / "corpus")
SKIP_SUFFIXES = {".py", ".csv", ".yaml", ".yml", ".json", ".LICENSE"}


def inputs() -> list[Path]:
    """Every scannable file of the trees, in a stable order."""
    found = []
    for tree in TREES:
        if tree.is_dir():
            found += [p for p in sorted(tree.rglob("*")) if p.is_file()
                      and p.suffix not in SKIP_SUFFIXES and not p.name.startswith("README")
                      and "LICENSE" not in p.name]
    return found


def scan(path: Path, jobs: str) -> dict[str, object]:
    """One file's JSON report, or its error line, as the CLI gives it."""
    proc = subprocess.run(
        ["csrscan", "scan", str(path.relative_to(ROOT.parent)), "-f", "json", "--all-evidence",
         "-j", jobs, "--max-pages", "2000"],
        capture_output=True, text=True, cwd=ROOT.parent, timeout=300, check=False)
    return {"exit": proc.returncode, "stdout": proc.stdout, "stderr": proc.stderr}


def take(out: Path, jobs: str) -> None:
    files = inputs()
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda p: scan(p, jobs), files))
    out.mkdir(parents=True, exist_ok=True)
    for path, result in zip(files, results, strict=True):
        name = str(path.relative_to(ROOT.parent)).replace("/", "__") + ".json"
        (out / name).write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"{len(files)} files scanned into {out}")


def diff(a: Path, b: Path) -> int:
    names = sorted({p.name for p in a.glob("*.json")} | {p.name for p in b.glob("*.json")})
    changed = [n for n in names if not (a / n).exists() or not (b / n).exists()
               or (a / n).read_bytes() != (b / n).read_bytes()]
    for name in changed:
        print(f"differs: {name}")
    print(f"{len(names) - len(changed)} of {len(names)} identical")
    return 1 if changed else 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("take")
    t.add_argument("out", type=Path)
    t.add_argument("--jobs", default="2", help="csrscan --jobs (default 2)")
    d = sub.add_parser("diff")
    d.add_argument("a", type=Path)
    d.add_argument("b", type=Path)
    args = ap.parse_args()
    if args.cmd == "take":
        take(args.out, args.jobs)
        return 0
    return diff(args.a, args.b)


if __name__ == "__main__":
    sys.exit(main())
