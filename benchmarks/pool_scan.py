"""Reference batch scan with the library in a process pool (not the CLI).

    python benchmarks/pool_scan.py JOBS FILE...

Scans every file with `csrscan.pipeline.scan_path` + `render_json` in a
`multiprocessing` pool of JOBS workers (chunksize 1, files sorted largest
first) and prints the number of files scanned. csrscan comes from PYTHONPATH
(run.py sets it to the checkout being measured). It shows what a `--jobs N`
batch command can reach on this machine, whatever `csrscan compare` does.
"""

from __future__ import annotations

import sys
from multiprocessing import Pool
from pathlib import Path


def scan_one(path: str) -> int:
    from csrscan.packs.select import select_pack
    from csrscan.pipeline import scan_path
    from csrscan.render.report import render_json

    return len(render_json(scan_path(path, select_pack(None, ()))))


def main(argv: list[str]) -> int:
    jobs = int(argv[0])
    files = sorted(argv[1:], key=lambda f: -Path(f).stat().st_size)
    if jobs == 1:
        done = [scan_one(f) for f in files]
    else:
        with Pool(jobs) as pool:
            done = pool.map(scan_one, files, chunksize=1)
    print(len(done))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
