"""The less travelled ways out of `csrscan`: a library calling sys.exit, Ctrl-C
inside a command, a closed stdout met by click, a full disk on stdout."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from checkutil import DRAFT_PARTIAL, ROOT, write

from csrscan.cli.root import main


def _csrscan(cwd: Path, *args: str, plant: str = "", stdout: int | None = None,
             preexec_fn: Callable[[], None] | None = None
             ) -> subprocess.CompletedProcess[str]:
    """The `csrscan` command (cli.run) in a child; `plant` replaces scan_one's body."""
    code = ("import sys\nimport csrscan.cli.root as root\n"
            + (f"def planted(*a, **k):\n    {plant}\nroot.scan_one = planted\n" if plant else "")
            + "from csrscan.cli import run\nrun()\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CSRSCAN_CACHE_DIR": str(cwd / "cache")}
    env.pop("CSRSCAN_DEBUG", None)
    return subprocess.run([sys.executable, "-c", code, *args], cwd=cwd, env=env, text=True,
                          stdout=stdout if stdout is not None else subprocess.PIPE,
                          stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, timeout=120,
                          preexec_fn=preexec_fn, check=False)


@pytest.fixture
def draft(tmp_path: Path) -> Path:
    write(tmp_path / "draft.md", DRAFT_PARTIAL)
    return tmp_path


def test_sys_exit_with_a_message_prints_it_and_exits_2(draft: Path) -> None:
    r = _csrscan(draft, "draft.md", plant="sys.exit('planted: cannot go on')")
    assert (r.returncode, r.stdout, r.stderr) == (2, "", "planted: cannot go on\n")


def test_sys_exit_without_a_code_is_success(draft: Path) -> None:
    r = _csrscan(draft, "draft.md", plant="sys.exit()")
    assert (r.returncode, r.stdout, r.stderr) == (0, "", "")


@pytest.mark.parametrize("args", [["draft.md"], ["check", "draft.md", "--no-config"]],
                         ids=["scan", "check"])
def test_ctrl_c_inside_a_command_is_130(draft: Path, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str],
                                        args: list[str]) -> None:
    import csrscan.cli.check as check
    import csrscan.cli.root as root

    def interrupted(*_: object, **__: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(root, "scan_one", interrupted)
    monkeypatch.setattr(check, "make_scanner", lambda *_: interrupted)
    monkeypatch.setenv("CSRSCAN_CACHE_DIR", str(draft / "cache"))
    monkeypatch.chdir(draft)
    with pytest.raises(SystemExit) as info:
        main(args)
    assert info.value.code == 130
    assert capsys.readouterr().err.strip() == "csrscan: interrupted"


def test_click_output_into_a_closed_pipe_is_141(monkeypatch: pytest.MonkeyPatch) -> None:
    """`csrscan rules list | head -c 0`: click meets the closed pipe and swaps in a
    quiet stdout; csrscan still ends as SIGPIPE would, never with click's 1."""
    class Closed(io.StringIO):
        def write(self, text: str) -> int:
            raise BrokenPipeError(32, "Broken pipe")

        def flush(self) -> None:
            raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr(sys, "stdout", Closed())
    with pytest.raises(SystemExit) as info:
        main(["rules", "list"])
    assert info.value.code == 141


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_output_to_a_file_on_a_full_disk(draft: Path) -> None:
    """-o names a link to /dev/full (never the device itself: a writer that
    replaces its target must not be able to replace a device node)."""
    os.symlink("/dev/full", draft / "full.json")
    r = _csrscan(draft, "draft.md", "-f", "json", "-o", "full.json")
    assert (r.returncode, r.stderr) == (
        2, "csrscan: error: full.json: cannot write output: No space left on device\n")
    assert (draft / "full.json").is_symlink()


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("fmt", ["json", "table"])
def test_stdout_on_a_full_disk(draft: Path, fmt: str) -> None:
    """Fixed on main by 44087a9 (before it: exit 3, 'internal error … please report it')."""
    with open("/dev/full", "w") as full:
        r = _csrscan(draft, "draft.md", "-f", fmt, stdout=full.fileno())
    assert (r.returncode, r.stderr) == (
        2, "csrscan: error: <stdout>: cannot write output: No space left on device\n")


@pytest.mark.parametrize(("command", "out"), [
    (["scan", "draft.md", "-f", "json"], "out.json"),
    (["check", "draft.md", "-f", "sarif"], "out.sarif"),
    (["compare", "draft.md", "other.md", "-f", "html", "--progress", "none"], "out.html"),
])
def test_a_full_disk_keeps_the_earlier_output(draft: Path, command: list[str], out: str) -> None:
    """A write that fails half-way (here: past a file-size limit, as on a full
    disk) leaves the previous run's file as it was, and no partial file."""
    import resource

    write(draft / "other.md", DRAFT_PARTIAL.replace("某某消金", "另一家消金"))
    first = _csrscan(draft, *command, "-o", out)
    assert first.returncode in (0, 1), first.stderr  # check: 1 when its policy fails
    before = (draft / out).read_bytes()
    assert len(before) > 2_000

    def small_files() -> None:  # past it a write fails with EFBIG (Python ignores SIGXFSZ)
        resource.setrlimit(resource.RLIMIT_FSIZE, (1_000, 1_000))

    again = _csrscan(draft, *command, "-o", out, preexec_fn=small_files)
    assert (again.returncode, again.stderr) == (
        2, f"csrscan: error: {out}: cannot write output: File too large\n")
    assert (draft / out).read_bytes() == before
    assert not [p.name for p in draft.iterdir() if p.name.startswith(f".{out}")]
