"""The CLI end to end: typer's runner and a real subprocess."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from csrscan import __version__
from csrscan.cli.root import main

ROOT = Path(__file__).resolve().parent.parent

DRAFT = """# 某消费金融公司 2024 年社会责任报告

## 数据安全

公司制定《数据安全管理办法》，明确数据安全责任部门与岗位职责。
报告期内，公司未发生重大数据泄露事件。
公司全年开展数据安全培训8场，覆盖员工1200人次。
"""


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as info:
        main(args)
    out, err = capsys.readouterr()
    return int(info.value.code or 0), out, err


@pytest.fixture()
def draft(tmp_path: Path) -> Path:
    path = tmp_path / "draft.md"
    path.write_text(DRAFT, encoding="utf-8")
    return path


@pytest.mark.parametrize("args", [["--version"], ["-V"]])
def test_version(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(args, capsys)
    assert (code, out.strip()) == (0, f"csrscan {__version__}")


def test_version_alone_builds_no_command(monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    """`csrscan --version` answers before typer turns the app into commands."""
    import typer.main

    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("typer built the command tree for --version")

    monkeypatch.setattr(typer.main, "get_command", refuse)
    for args in (["--version"], ["-V"]):
        code, out, _ = run(args, capsys)
        assert (code, out.strip()) == (0, f"csrscan {__version__}")


def test_default_command_is_scan_and_json_contract(draft: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run([str(draft), "--format", "json"], capsys)
    assert code == 0, err
    rep = json.loads(out)
    assert rep["schema"] == "csrscan.report/1"
    assert set(rep) == {"schema", "source", "pack", "topics", "summary", "warnings"}
    assert rep["source"]["format"] == "md" and rep["source"]["pages"] == 1
    assert rep["pack"]["id"] == "cn-fin-csr"
    ds = next(t for t in rep["topics"] if t["id"] == "data_security")
    assert (ds["level"], ds["status"]) == (2, "covered")
    incidents = next(i for i in ds["indicators"] if i["id"] == "data_security.incidents")
    [ev] = incidents["evidence"]
    assert (ev["page"], ev["line"], ev["strength"]) == (1, 6, "performance")
    assert ev["text"] == "报告期内，公司未发生重大数据泄露事件。"
    s = rep["summary"]
    assert s["covered"] + s["partial"] + s["missing"] == len(rep["topics"])


def test_output_is_deterministic(draft: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    first = run([str(draft), "-f", "json"], capsys)[1]
    assert run([str(draft), "-f", "json"], capsys)[1] == first


def test_table_and_evidence(draft: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run(["scan", str(draft), "--evidence"], capsys)
    assert code == 0
    assert "data_security" in out and "covered" in out
    assert "p.1:6" in out and "未发生重大数据泄露事件" in out


def test_markdown(draft: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run(["scan", str(draft), "-f", "markdown", "-e"], capsys)
    assert code == 0
    assert "| topic | status |" in out and "`data_security.incidents` p.1:6" in out


def test_output_file(draft: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "out.json"
    code, out, _ = run([str(draft), "-f", "json", "-o", str(target)], capsys)
    assert code == 0 and out == ""
    assert json.loads(target.read_text(encoding="utf-8"))["schema"] == "csrscan.report/1"


def test_missing_file_is_exit_2_with_one_line(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run([str(tmp_path / "nope.pdf")], capsys)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "nope.pdf" in err and "Traceback" not in err


def test_invalid_rules_is_exit_2(draft: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.yaml"
    bad.write_text("pack: {id: bad, version: '1', name: B}\ntopics: [{id: x}]\n", "utf-8")
    code, _, err = run([str(draft), "--rules", str(bad)], capsys)
    assert code == 2 and "bad.yaml" in err


def test_usage_error_is_exit_2(capsys) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run(["scan", "x.md", "--format", "yaml"], capsys)
    assert code == 2 and "yaml" in err


def test_rules_commands(capsys) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run(["rules", "list"], capsys)
    assert code == 0 and out.startswith("cn-fin-csr")
    code, out, _ = run(["rules", "show", "data_security.incidents"], capsys)
    assert code == 0 and "SASB FN-CF-230a.1" in out
    code, out, _ = run(["rules", "test"], capsys)
    assert code == 0 and " 0 failed" in out


def test_pdf_scan(make_pdf: Callable[..., Path], capsys) -> None:  # type: ignore[no-untyped-def]
    lines = ["公司制定《数据安全管理办法》，明确数据安全责任部门。",
             "报告期内，公司未发生重大数据泄露事件。"]
    pdf = make_pdf([["概述：本报告介绍公司情况。"], lines, ["其他内容。"]],
                   header="某公司2024年社会责任报告")
    code, out, err = run([str(pdf), "-f", "json"], capsys)
    assert code == 0, err
    rep = json.loads(out)
    assert rep["source"]["pages"] == 3 and rep["source"]["format"] == "pdf"
    ev = [e for t in rep["topics"] for i in t["indicators"] for e in i["evidence"]]
    assert {(e["page"], e["text"]) for e in ev} >= {(2, lines[1])}


def test_subprocess_stdin_and_exit_codes(draft: Path, tmp_path: Path) -> None:
    ok = subprocess.run([sys.executable, "-m", "csrscan", "-", "-f", "json"],
                        input=draft.read_bytes(), capture_output=True, timeout=120)
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["source"]["path"] == "<stdin>"
    bad = subprocess.run([sys.executable, "-m", "csrscan", str(tmp_path / "missing.txt")],
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2
    assert "missing.txt" in bad.stderr and "Traceback" not in bad.stderr


def test_the_command_writes_everything_before_its_fast_exit(
        make_pdf: Callable[..., Path], tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    """`python -m csrscan` ends with os._exit: output to a pipe or a file is whole."""
    topics = ["数据安全", "个人信息保护", "投诉处理", "绿色信贷", "普惠金融", "反洗钱",
              "金融知识教育", "适老化服务"]  # lines repeated on most pages are furniture
    pages = [[f"公司全年开展{topics[n % 8]}专项培训{n}场，覆盖员工{n * 100}人次。",
              f"报告期内，公司{topics[(n + 3) % 8]}工作未发生重大风险事件。"]
             for n in range(1, 41)]
    pdf = make_pdf(pages, header="某公司2024年社会责任报告")
    code, expected, err = run([str(pdf), "-f", "json"], capsys)
    assert code == 0, err
    # block-buffered stdout, as on most machines: what is not flushed is lost
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    piped = subprocess.run([sys.executable, "-m", "csrscan", str(pdf), "-f", "json"],
                           capture_output=True, timeout=120, env=env)
    assert piped.returncode == 0, piped.stderr
    assert piped.stdout.decode("utf-8") == expected and len(expected) > 10_000
    out = tmp_path / "out.json"
    to_file = subprocess.run([sys.executable, "-m", "csrscan", str(pdf), "-f", "json",
                              "-o", str(out)], capture_output=True, timeout=120, env=env)
    assert to_file.returncode == 0 and to_file.stdout == b""
    assert out.read_text(encoding="utf-8") == expected
    # a reader that stops early: no traceback, the usual exit code
    cut = subprocess.run(f'"{sys.executable}" -m csrscan "{pdf}" -f json | head -c 100',
                         shell=True, capture_output=True, timeout=120, env=env)
    assert len(cut.stdout) == 100 and b"Traceback" not in cut.stderr


def test_english_report_warns_that_the_pack_is_chinese(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    report = tmp_path / "en.txt"
    report.write_text("The bank strengthened data security governance and customer "
                      "complaint handling in 2024.\n", encoding="utf-8")
    code, out, _ = run([str(report), "-f", "json"], capsys)
    assert code == 0
    [warning] = json.loads(out)["warnings"]
    assert "little Chinese text" in warning and "cn-fin-csr" in warning


def test_chinese_report_has_no_language_warning(draft: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run([str(draft), "-f", "json"], capsys)
    assert code == 0 and json.loads(out)["warnings"] == []


def test_subcommand_names_are_those_registered() -> None:
    from csrscan.cli import root as cli

    cli._register_subcommands()
    names = [c.name or (c.callback.__name__ if c.callback else "")
             for c in cli.app.registered_commands]
    names += [g.name or "" for g in cli.app.registered_groups]
    assert sorted(names) == sorted([*cli.SUBCOMMANDS, "scan"])


@pytest.mark.parametrize("args", [
    ["scan", "-f", "json"],  # written in pieces by cli.emit
    ["scan"],  # the table, printed by rich
    ["check", "-f", "json"],  # check's own 1 means "the policy does not hold"
    ["rules", "list"],  # click's echo
    ["--version"],  # answered before typer runs
])
def test_a_closed_stdout_ends_the_command_as_sigpipe_does(args: list[str]) -> None:
    """`csrscan … | head`: killed by SIGPIPE (the shell says 141), no traceback,
    never an exit code that means something else."""
    if args[0] in ("scan", "check"):
        args = [args[0], str(ROOT / "samples" / "huixin_consumer_finance_2024.pdf"), *args[1:]]
    proc = subprocess.Popen([sys.executable, "-m", "csrscan", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader is gone before the first byte, as with `| head -c 0`
    err = proc.stderr.read()
    assert proc.wait(timeout=120) == -signal.SIGPIPE and err == b""


def test_main_reports_a_closed_stdout(draft: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    class Closed(io.StringIO):
        def write(self, text: str) -> int:
            raise BrokenPipeError(32, "Broken pipe")
    monkeypatch.setattr(sys, "stdout", Closed())
    for args in ([str(draft), "-f", "json"], [str(draft)], ["--version"]):
        with pytest.raises(SystemExit) as exit_info:
            main(args)
        assert exit_info.value.code == 141


def _full_root_help() -> str:
    """The root's help as typer prints it from the real app, every command built."""
    import contextlib

    import typer.main

    from csrscan.cli import root as cli

    cli._register_subcommands()
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        typer.main.get_command(cli.app).main(["--help"], prog_name="csrscan",
                                             standalone_mode=False)
    return out.getvalue()


@pytest.mark.parametrize("columns", ["120", "60"])
def test_root_help_lists_the_commands_as_the_real_app_does(
        columns: str, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """`csrscan -h` comes from a twin app whose commands have no options
    (cli/listing.py): the same text, at any terminal width; none of the real
    commands' parameters is built for it."""
    import typer.main

    monkeypatch.setenv("COLUMNS", columns)
    expected = _full_root_help()
    built: list[str] = []
    real = typer.main.get_params_convertors_ctx_param_name_from_function

    def spy(callback: Any) -> Any:
        built.append(getattr(callback, "__name__", ""))
        return real(callback)
    monkeypatch.setattr(typer.main, "get_params_convertors_ctx_param_name_from_function", spy)
    for args in (["--help"], ["-h"]):
        code, out, err = run(args, capsys)
        assert (code, out, err) == (0, expected, "")
    assert "scan" in expected and "compare" in expected
    assert set(built) <= {"_root", "_no_options", ""}, built


def test_bare_csrscan_prints_the_help_as_a_usage_error(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run([], capsys)
    assert (code, out, err) == (2, "", _full_root_help())
    code, out, err = run(["rules"], capsys)  # a command group without its command: alike
    assert (code, out) == (2, "") and err.startswith("Usage: csrscan rules [OPTIONS] COMMAND")
    assert "Commands:" in err and "error:" not in err
