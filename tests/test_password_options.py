"""--password, --max-pages and --timeout on `check` as on `scan`, and the text
cache keyed by the password (issue #17): a PDF read with its password is not
served from the cache to a run without it or with another."""

from __future__ import annotations

import json
from pathlib import Path

from compare_corpus import report_text, write_pdf
from compare_helpers import run_main
from hostile import fifo

from csrscan.ingest.cache import options_key

ONE = ("-j", "1", "--progress", "none", "-f", "json")


def _locked(folder: Path) -> Path:
    (folder / "in").mkdir()
    path = folder / "in" / "locked-2024.pdf"
    write_pdf(path, report_text("锁匙金融", 2024, ("training",)), encrypt="s3cret")
    return path


def test_the_cache_does_not_serve_a_decrypted_pdf_without_its_password(tmp_path: Path) -> None:
    _locked(tmp_path)
    first = run_main(tmp_path, "compare", "in", "--password", "s3cret", *ONE)
    assert first.returncode == 0, first.stderr
    assert len(json.loads(first.stdout)["rows"]) == 1
    for args in ((), ("--password", "wrong")):
        again = run_main(tmp_path, "compare", "in", *args, *ONE)
        assert again.returncode == 2, again.stderr
        [failure] = json.loads(again.stdout)["failures"]
        assert "password" in failure["error"]
    cached = run_main(tmp_path, "compare", "in", "--password", "s3cret", *ONE)
    assert json.loads(cached.stdout)["rows"] == json.loads(first.stdout)["rows"]


def test_the_cache_key_holds_no_password_in_clear() -> None:
    assert options_key(False, None) == options_key(False, None, password=None)
    keys = {options_key(False, None, password=p) for p in (None, "", "s3cret", "other")}
    assert len(keys) == 4
    assert all("s3cret" not in k for k in keys)


def test_check_takes_the_password(tmp_path: Path) -> None:
    path = _locked(tmp_path)
    without = run_main(tmp_path, "check", str(path), "--no-config", "-f", "json")
    assert without.returncode == 2
    assert "encrypted; pass --password" in without.stderr
    right = run_main(tmp_path, "check", str(path), "--no-config", "-f", "json",
                     "--password", "s3cret")
    assert right.returncode in (0, 1), right.stderr
    assert json.loads(right.stdout)["files"][0]["path"].endswith("locked-2024.pdf")


def test_check_takes_max_pages(tmp_path: Path) -> None:
    path = tmp_path / "r.pdf"
    write_pdf(path, report_text("青禾金融", 2024, ("training",)))
    r = run_main(tmp_path, "check", str(path), "--no-config", "--max-pages", "0")
    assert r.returncode == 2
    assert r.stderr.rstrip().endswith("r.pdf: PDF has 1 pages, more than --max-pages 0")


def test_check_takes_a_timeout(tmp_path: Path) -> None:
    pipe = fifo(tmp_path, "draft.txt")
    r = run_main(tmp_path, "check", str(pipe), "--no-config", "--timeout", "1")
    assert r.returncode == 2
    assert r.stderr.rstrip().endswith("is a FIFO that gave no data within 1 s")
