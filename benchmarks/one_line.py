"""Issue #18 target: a 100 MB single-line text never needs more than 4× its size.

    python benchmarks/one_line.py [--mb 100] [--runs 1] [--variants mix,nopunct,ascii,lines,gb18030]

Scans generated texts (sentences written for this benchmark) with
`--max-memory 0 -j 1` (no cap, one process) and prints input size, peak RSS of
the process (GNU time), its ratio to the input and wall time. Variants: `mix`,
one line of sentences and long runs without punctuation; `nopunct`, one line
without any punctuation; `ascii`, one line of English; `lines`, the `mix`
text on many lines (the control); `gb18030`, the `mix` text in GB18030 (its
encoding judged on its head, decoded in pieces: text.py). run.py prints the
`mix` figure.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from inputs import OUT
from measure import csrscan_cmd, csrscan_env, median, run

RATIO_MAX = 4.0
SENTENCES = (
    "本公司建立了绿色金融管理制度，{y}年绿色信贷余额达到{n}亿元。",
    "我们持续开展消费者权益保护培训，全年累计培训员工{n}人次。",
    "本行完善了反洗钱内部控制体系并上线可疑交易监测系统{n}套。",
    "公司积极推进普惠金融服务，小微企业贷款户数较上年增长{n}%。",
    "报告期内本集团未发生重大数据安全事件，客户投诉处理率为{n}%。",
    "我们计划到{y}年实现运营碳中和，并力争单位能耗下降{n}%。",
    "公司董事会下设风险管理委员会负责审议年度风险偏好与合规报告。",
    "本公司向乡村振兴项目捐赠资金{n}万元用于教育与医疗设施建设。",
)
RUN = ("绿色金融服务实体经济支持小微企业发展推进普惠金融体系建设加强员工培训"
       "保障客户权益提升风险管理水平")


def piece(rng: random.Random, variant: str) -> str:
    y, n = rng.randint(2016, 2035), rng.randint(1, 99999)
    if variant == "ascii":
        return (f"The company issued {n} green loans in {y} and trained {n % 977} staff on "
                f"consumer protection; its carbon target is net zero by {y + 20}. ")
    sentence = rng.choice(SENTENCES).format(y=y, n=n)  # (gb18030: the mix text)
    if variant == "nopunct":
        return sentence.translate(str.maketrans("", "", "。，%"))
    if rng.random() < 0.15:  # a long run without any punctuation
        k = rng.randint(300, 3000)
        return (RUN * (k // len(RUN) + 1))[:k] + str(n)
    return sentence + ("\n" if variant == "lines" and rng.random() < 0.3 else "")


def build(variant: str, mb: int) -> Path:
    path = OUT / f"one_line_{variant}_{mb}mb.txt"
    if path.exists():
        return path
    OUT.mkdir(parents=True, exist_ok=True)
    encoding = "gb18030" if variant == "gb18030" else "utf-8"
    rng, size, written = random.Random(7), mb * 1_000_000, 0
    tmp = path.with_suffix(".part")
    with tmp.open("w", encoding=encoding) as out:
        while written < size:
            text = piece(rng, variant)
            out.write(text)
            written += len(text.encode(encoding))
    tmp.replace(path)
    return path


def figure(variant: str, mb: int, runs: int, env: dict[str, str]) -> dict[str, float]:
    """Input size, median peak RSS and wall of `scan -f json` (output discarded)."""
    path = build(variant, mb)
    cmd = csrscan_cmd("scan", str(path), "-f", "json", "-o", "/dev/null",
                      "--max-memory", "0", "-j", "1")
    got = [run(cmd, env) for _ in range(runs)]
    size = path.stat().st_size / 2**20
    rss, wall = median([r.rss_mib for r in got]), median([r.wall for r in got])
    code = max(r.code for r in got)
    ok = rss <= RATIO_MAX * size and not code
    target = f"target ≤ {RATIO_MAX:.0f}×: {'PASS' if ok else 'FAIL'}"
    print(f"{variant:<8} {size:6.1f} MiB input: peak RSS {rss:7.1f} MiB ({rss / size:4.2f}× the "
          f"input), wall {wall:6.1f} s  {target}" + (f"  [exit {code}]" if code else ""),
          flush=True)
    return {"input_mib": size, "rss_mib": rss, "ratio": rss / size, "wall": wall, "code": code}


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mb", type=int, default=100)
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--variants", default="mix,nopunct,ascii,lines,gb18030")
    args = ap.parse_args(argv)
    env = csrscan_env()
    for variant in args.variants.split(","):
        figure(variant, args.mb, args.runs, env)
    return 0


if __name__ == "__main__":
    sys.exit(main())
