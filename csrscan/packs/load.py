"""Load and validate YAML rule packs (pack → topics → indicators → patterns)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from csrscan.errors import RuleError
from csrscan.models import Indicator, Pack, Pattern, RuleContext, Topic
from csrscan.packs.grading import load_grading
from csrscan.packs.yamlsafe import check_expansion, value_error

BUILTIN_PACK = "cn-fin-csr"
YAML_SUFFIXES = (".yaml", ".yml")


def builtin_rules_dir() -> Path:
    """Return the folder holding the built-in packs (wheel or source checkout)."""
    package = Path(__file__).resolve().parent.parent  # csrscan/
    for candidate in (package / "rules", package.parent / "rules"):
        if candidate.is_dir():
            return candidate
    raise RuleError("built-in rule packs not found; reinstall csrscan")


def schema_path() -> Path:
    return Path(__file__).resolve().parent.parent / "schema" / "rule-pack.schema.json"


@cache
def _validator() -> Any:
    import fastjsonschema  # lazy; compiles the schema to Python: 20× faster than jsonschema

    schema = json.loads(schema_path().read_text(encoding="utf-8"))
    return fastjsonschema.compile(schema)


def discover_packs(extra: Sequence[str | Path] = ()) -> dict[str, Path]:
    """Map pack id → path for the built-in packs plus user-given paths.

    A built-in pack's folder is named after its id (a test holds them to
    it), so a plain scan reads no YAML at all when the pack is cached.
    """
    found = {path.name: path for path in sorted(builtin_rules_dir().iterdir())
             if path.is_dir() and not path.name.startswith("_")}  # _base: shared data
    for path in (Path(p) for p in extra):
        if not path.exists():
            raise RuleError("no such file or folder (a rule pack)", path=str(path))
        if not (path.is_dir() or path.suffix in YAML_SUFFIXES):
            raise RuleError("a rule pack is a folder or a .yaml/.yml file", path=str(path))
        found[pack_id_of(path)] = path
    return found


def pack_id_of(path: Path) -> str:
    head = _pack_header(path)
    return str(head.get("id") or path.stem)


def _pack_header(path: Path) -> dict[str, Any]:
    file = path / "pack.yaml" if path.is_dir() else path
    if not file.is_file():
        raise RuleError("no pack.yaml in rule pack folder", path=str(path))
    data = _read_yaml(file)
    head = data.get("pack")
    if not isinstance(head, dict):
        raise RuleError("missing 'pack' section", path=str(file), key="pack")
    return head


def load_pack(path: str | Path) -> Pack:
    """Load, validate and build one pack from a folder or a single YAML file."""
    root = Path(path)
    if not root.exists():
        raise RuleError("rule pack not found", path=str(path))
    files = pack_files(root)
    docs = [(f, _validated(f)) for f in files]
    head_file, head = _find_header(root, docs)
    topics = [_build_topic(t, f) for f, d in docs for t in d.get("topics", [])]
    topics = _order_topics(topics, head.get("topics"), head_file)
    _check_unique(topics, head_file)
    _check_guidance(root, topics)
    grading = load_grading(builtin_rules_dir(), head_file, head, docs, _validated)
    return Pack(
        id=str(head["id"]), version=str(head["version"]), name=str(head["name"]),
        path=str(path), topics=tuple(topics),
        subjects=grading.subjects, grading=grading,
        description=str(head.get("description", "")),
        variants=tuple((k, tuple(v)) for k, v in sorted(head.get("variants", {}).items())),
        language=str(head.get("language", "")),
    )


def pack_files(root: Path) -> list[Path]:
    if root.is_file():
        return [root]
    files = sorted(p for p in root.iterdir() if p.suffix in YAML_SUFFIXES)
    if not files:
        raise RuleError("no .yaml files in rule pack folder", path=str(root))
    return files


def _read_yaml(file: Path) -> dict[str, Any]:
    import yaml  # lazy: ~35 ms, and a cached pack (packcache) needs no YAML

    text = ""
    try:
        # The C loader is ~10× faster; both are safe loaders (no Python tags).
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        text = file.read_text(encoding="utf-8")
        data = yaml.load(text, Loader=loader)
        check_expansion(data, text, str(file))  # billion laughs: before anything walks it
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleError(f"cannot read: {exc}", path=str(file)) from None
    except ValueError as exc:  # a value YAML cannot make (a 5,000-digit number)
        raise RuleError(value_error(exc, text), path=str(file)) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        # one line: a reader error (a control character) spans two
        problem = getattr(exc, "problem", None) or " ".join(str(exc).split())
        raise RuleError(f"invalid YAML{where}: {problem}", path=str(file)) from None
    if not isinstance(data, dict):
        raise RuleError("a rule file must be a mapping with 'pack' and/or 'topics'",
                        path=str(file))
    return data


def _validated(file: Path) -> dict[str, Any]:
    import fastjsonschema

    data = _read_yaml(file)
    try:
        _validator()(data)
    except fastjsonschema.JsonSchemaValueException as err:
        where: list[Any] = [int(s) if s.isdigit() else s for s in (err.path or [])[1:]]
        raise RuleError(_schema_message(err, _node_at(data, where)), path=str(file),
                        rule=_rule_at(data, where), key=_key_at(where)) from None
    _check_regexes(data, file)
    return data


def _node_at(data: Any, where: list[Any]) -> Any:
    for step in where:
        try:
            data = data[step]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _schema_message(err: Any, node: Any) -> str:
    if err.rule == "additionalProperties" and isinstance(node, dict):
        known = set(err.definition.get("properties", {}))
        extra = sorted(str(k) for k in set(node) - known)
        return f"unknown key {', '.join(map(repr, extra))}"
    if err.rule == "oneOf":
        return "a pattern takes exactly one of 'any', 'all' (with optional 'within') or 'regex'"
    name = str(err.name)
    return str(err.message).replace(name, "value", 1) if name != "data" else str(err.message)


def _rule_at(data: Any, where: list[Any]) -> str | None:
    """Name the innermost topic or indicator id along a schema error path."""
    found, node = None, data
    for step in where:
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(node, dict) and isinstance(node.get("id"), str):
            found = node["id"]
    return found


def _key_at(where: list[Any]) -> str | None:
    keys = [str(s) for s in where if isinstance(s, str)]
    return ".".join(keys) if keys else None


def _check_regexes(data: dict[str, Any], file: Path) -> None:
    for topic in data.get("topics", []):
        for ind in topic["indicators"]:
            for pat in ind["patterns"]:
                if "regex" in pat:
                    try:
                        re.compile(pat["regex"])
                    except re.error as exc:
                        raise RuleError(f"bad regex {pat['regex']!r}: {exc}",
                                        path=str(file), rule=ind["id"],
                                        key="patterns.regex") from None


def _find_header(root: Path, docs: list[tuple[Path, dict[str, Any]]]
                 ) -> tuple[Path, dict[str, Any]]:
    heads = [(f, d["pack"]) for f, d in docs if "pack" in d]
    if len(heads) != 1:
        what = "no" if not heads else "more than one"
        raise RuleError(f"{what} 'pack' section in rule pack", path=str(root), key="pack")
    return heads[0]


def _build_topic(raw: dict[str, Any], file: Path) -> Topic:
    indicators = tuple(_build_indicator(i, raw["id"], file) for i in raw["indicators"])
    return Topic(id=raw["id"], name=raw["name"], name_en=raw.get("name_en", ""),
                 refs=tuple(raw.get("refs", ())), indicators=indicators,
                 mentions=tuple(raw.get("mentions", ())), context=_build_context(raw))


def _build_indicator(raw: dict[str, Any], topic: str, file: Path) -> Indicator:
    if raw["id"].split(".")[0] != topic:
        raise RuleError(f"indicator id must start with its topic id '{topic}.'",
                        path=str(file), rule=raw["id"], key="id")
    return Indicator(
        id=raw["id"], topic=topic, name=raw["name"], name_en=raw.get("name_en", ""),
        description=raw.get("description", ""), refs=tuple(raw.get("refs", ())),
        patterns=tuple(_build_pattern(p) for p in raw["patterns"]),
        exclude=tuple(raw.get("exclude", ())),
        quantitative=bool(raw.get("quantitative", False)),
        examples_pass=tuple(raw["examples"]["pass"]),
        examples_fail=tuple(raw["examples"]["fail"]),
        context=_build_context(raw),
        guidance=str(raw.get("guidance", "")).strip(),
        good_example=str(raw.get("good_example", "")).strip(),
    )


def _build_context(raw: dict[str, Any]) -> RuleContext | None:
    """A topic's or indicator's `context:` (the schema checked its shape)."""
    ctx = raw.get("context")
    if ctx is None:
        return None
    return RuleContext(terms=tuple(ctx["any"]), scope=ctx.get("scope", "sentence"))


def _build_pattern(raw: dict[str, Any]) -> Pattern:
    if "regex" in raw:
        return Pattern(kind="regex", regex=raw["regex"])
    if "any" in raw:
        return Pattern(kind="any", terms=tuple(raw["any"]))
    return Pattern(kind="all", terms=tuple(raw["all"]), within=raw.get("within"))


def _order_topics(topics: list[Topic], order: Iterable[str] | None, file: Path
                  ) -> list[Topic]:
    if order is None:
        return topics
    order = list(order)
    by_id = {t.id: t for t in topics}
    unknown = [t for t in order if t not in by_id]
    unlisted = [t.id for t in topics if t.id not in order]
    if unknown or unlisted:
        what = (f"lists unknown topic {unknown[0]!r}" if unknown
                else f"does not list topic {unlisted[0]!r}")
        raise RuleError(f"pack.topics {what}", path=str(file), key="pack.topics")
    return [by_id[t] for t in order]


def _check_guidance(root: Path, topics: list[Topic]) -> None:
    """The built-in packs tell a writer what to add for every gap; user packs may."""
    if not root.resolve().is_relative_to(builtin_rules_dir().resolve()):
        return
    for topic in topics:
        for ind in topic.indicators:
            for key in ("guidance", "good_example"):
                if not getattr(ind, key):
                    raise RuleError(f"a built-in indicator needs '{key}'", path=str(root),
                                    rule=ind.id, key=key)


def _check_unique(topics: list[Topic], file: Path) -> None:
    seen: set[str] = set()
    for topic in topics:
        for rid in (topic.id, *(i.id for i in topic.indicators)):
            if rid in seen:
                raise RuleError("duplicate id", path=str(file), rule=rid, key="id")
            seen.add(rid)

