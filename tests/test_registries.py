"""Adding a format takes one module and one registry line (issue #13).

Each test writes a toy module, adds one line to a registry, and then uses the
command line as a user would: the new format is offered, validated and used
by every command it belongs to. The registries are patched in a child
process before the CLI is imported, as an edit of the registry file would be.
"""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

from csrscan import formats
from csrscan.ingest import registry

REPORT = ("# 青禾消费金融2024年社会责任报告\n\n"
          "本公司修订《数据安全管理制度》，由数据安全委员会统筹各部门职责。\n"
          "报告期内本公司完成渗透测试6次，核心系统全部实现加密传输。\n")

TOY_OUTPUT = '''
def render_scan(report, evidence, all_evidence):
    found = sum(t.level > 0 for t in report.topics)
    return f"toy {report.source.path}: {found} topics found\\n"

def render_check(result):
    return f"toy check: {'ok' if result.passed else 'fails'}\\n"
'''

TOY_INPUT = '''
from csrscan.ingest.options import sha256_hex
from csrscan.models import Document, Page

MAGIC = b"TOY1\\n"

def is_toy(data):
    return data.startswith(MAGIC)

def read_toy(data, name, options, progress):
    text = data[len(MAGIC):].decode("utf-8")
    return Document(path=name, format="toy", sha256=sha256_hex(data),
                    pages=(Page(1, text, "text", 2),))
'''


def _cli(tmp_path: Path, line: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run `csrscan ARGS` in tmp_path after adding one registry line."""
    script = f"import sys\n{line}\nfrom csrscan.cli import main\nmain(sys.argv[1:])\n"
    env = {**os.environ, "PYTHONPATH": str(tmp_path), "CSRSCAN_CACHE_DIR": str(tmp_path / "c")}
    return subprocess.run([sys.executable, "-c", script, *args], capture_output=True,
                          text=True, cwd=tmp_path, env=env, check=False)


OUT_LINE = ("from csrscan import formats as f; f.FORMATS += ("
            "f.Format('toy', 'scan', 'toyout:render_scan', 'a toy'), "
            "f.Format('toy', 'check', 'toyout:render_check', 'a toy'))")
IN_LINE = ("from csrscan.ingest import registry as r; r.READERS = ("
           "r.Reader('toy', 'a toy file', ('.toy',), 'toyin:read_toy', 'toyin:is_toy'), "
           "*r.READERS)")


def test_a_new_output_format_is_one_module_and_one_line(tmp_path: Path) -> None:
    (tmp_path / "toyout.py").write_text(TOY_OUTPUT, encoding="utf-8")
    (tmp_path / "r.md").write_text(REPORT, encoding="utf-8")
    scan = _cli(tmp_path, OUT_LINE, "scan", "r.md", "-f", "toy")
    assert scan.returncode == 0, scan.stderr
    assert scan.stdout == "toy r.md: 1 topics found\n"
    assert "[table|json|markdown|html|toy]" in _cli(tmp_path, OUT_LINE, "scan", "--help").stdout
    check = _cli(tmp_path, OUT_LINE, "check", "r.md", "-f", "toy")
    assert check.returncode == 1 and check.stdout == "toy check: fails\n", check.stderr
    (tmp_path / ".csrscan.yaml").write_text("format: toy\n", encoding="utf-8")
    assert _cli(tmp_path, OUT_LINE, "check", "r.md").stdout == "toy check: fails\n"
    # without the registry line the same names are refused, as any unknown format
    assert _cli(tmp_path, "", "scan", "r.md", "-f", "toy").returncode == 2
    refused = _cli(tmp_path, "", "check", "r.md")
    assert refused.returncode == 2 and "unknown format 'toy'" in refused.stderr


def test_a_new_input_format_is_one_module_and_one_line(tmp_path: Path) -> None:
    (tmp_path / "toyin.py").write_text(TOY_INPUT, encoding="utf-8")
    (tmp_path / "batch").mkdir()
    (tmp_path / "batch" / "a.toy").write_bytes(b"TOY1\n" + REPORT.encode())
    (tmp_path / "batch" / "b.md").write_text(REPORT, encoding="utf-8")
    scan = _cli(tmp_path, IN_LINE, "scan", "batch/a.toy", "-f", "json")
    assert scan.returncode == 0, scan.stderr
    report = json.loads(scan.stdout)
    assert report["source"]["format"] == "toy"
    first = report["topics"][0]["indicators"][0]["evidence"][0]
    assert first["line"] == 4  # the reader's file lines: its magic is line 1
    check = _cli(tmp_path, IN_LINE, "check", "batch/a.toy", "--require", "data_security=partial")
    assert check.returncode == 0, check.stdout + check.stderr
    compare = _cli(tmp_path, IN_LINE, "compare", "batch", "-f", "json", "-j", "1")
    assert compare.returncode == 0, compare.stderr
    assert sorted(r["path"] for r in json.loads(compare.stdout)["rows"]) == \
        ["batch/a.toy", "batch/b.md"]
    # without the line, a folder holds one report and a .toy file is plain text
    plain = _cli(tmp_path, "", "compare", "batch", "-f", "json", "-j", "1")
    assert [r["path"] for r in json.loads(plain.stdout)["rows"]] == ["batch/b.md"]


def test_every_registered_function_exists() -> None:
    """A registry line naming a missing module or function fails here, not in use."""
    for f in formats.FORMATS:
        if f.kind != "stream":
            assert callable(f.load()), f
    for r in registry.READERS:
        for target in filter(None, (r.reader, r.sniffer)):
            module, _, function = target.partition(":")
            assert callable(getattr(importlib.import_module(module), function)), target
        assert r.sniffs(b"") is False


def test_suffixes_are_the_readers_and_scan_compare_agree() -> None:
    assert set(registry.suffixes()) == {".pdf", ".docx", ".html", ".htm", ".xhtml", ".md",
                                        ".markdown", ".txt", ".text"}
    assert registry.by_suffix(".HTM") is registry.by_format("html")
    assert registry.by_suffix(".doc") is None
