"""Time and peak memory of `compare -f xlsx` on a generated batch (issue #14).

    python benchmarks/xlsx_matrix.py [--reports 1000] [--evidence 30]

Builds a matrix of REPORTS fictional reports with EVIDENCE quotes each (what
`compare -f xlsx` holds after a batch) and writes it with the XLSX format,
in this process; prints the wall time and the process's peak RSS.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

from csrscan.compare.formats.xlsx import write_xlsx
from csrscan.compare.identity import Identity
from csrscan.compare.matrix import EvidenceRow, Matrix, Row, TopicCol

TOPICS = ("data_security", "complaint_handling", "black_market", "green_finance",
          "consumer_protection", "financial_education", "inclusive_finance",
          "vulnerable_groups", "aml", "collection_conduct", "compliance_risk", "public_welfare")
QUOTE = "报告期内本公司持续完善数据安全管理制度，开展专项培训{k}场，覆盖员工{n}人次。"


def batch(reports: int, evidence: int) -> Matrix:
    topics = tuple(TopicCol(t, t) for t in TOPICS)
    rows = []
    for i in range(reports):
        quotes = tuple(EvidenceRow(TOPICS[k % 12], f"{TOPICS[k % 12]}.x", 1 + k // 10, k,
                                   "measure", QUOTE.format(k=k, n=i)) for k in range(evidence))
        rows.append(Row(path=f"filings/r{i:05d}.pdf", sha256=f"{i:064x}", format="pdf",
                        identity=Identity(f"示例金融{i}股份有限公司", 2016 + i % 9),
                        levels=tuple((i + t) % 3 for t in range(12)), score=0.5,
                        found=tuple(() for _ in TOPICS), evidence=quotes))
    return Matrix("cn-fin-csr", "1.0.0", topics, tuple(rows), ())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reports", type=int, default=1000)
    ap.add_argument("--evidence", type=int, default=30)
    args = ap.parse_args()
    matrix = batch(args.reports, args.evidence)
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        write_xlsx(matrix, Path(tmp) / "m.xlsx")
        wall = time.perf_counter() - start
        size = (Path(tmp) / "m.xlsx").stat().st_size
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"xlsx of {args.reports} reports x {args.evidence} quotes: {wall:.2f} s, "
          f"{size / 2**20:.1f} MiB file, peak RSS {peak:.0f} MiB")


if __name__ == "__main__":
    main()
