"""Shared helpers for the ingest tests (imported by the test modules)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).parent

# Our own sample text about a fictional company (never copied from a corpus).
PARA_SIMPLIFIED = (
    "某消费金融公司建立了数据安全管理制度，明确数据分类分级要求。"
    "公司每年开展两次信息安全培训，覆盖全体员工。"
    "报告期内，公司温室气体排放总量为一千二百吨，较上年下降百分之八。"
    "公司设立消费者权益保护委员会，负责投诉处理与适当性管理。"
)
PARA_TRADITIONAL = (
    "某消費金融公司建立了資料安全管理制度，明確資料分類分級要求。"
    "公司每年舉辦兩次資訊安全訓練，涵蓋全體員工。"
    "報告期內，公司溫室氣體排放總量為一千二百噸，較上年下降百分之八。"
    "公司設立消費者權益保護委員會，負責投訴處理與適當性管理。"
)


def load_make_bad() -> ModuleType:
    """tests/fixtures/bad/make_bad.py as a module (it is also a script)."""
    if "make_bad" in sys.modules:
        return sys.modules["make_bad"]
    path = HERE / "fixtures" / "bad" / "make_bad.py"
    spec = importlib.util.spec_from_file_location("make_bad", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_bad"] = module
    spec.loader.exec_module(module)
    return module
