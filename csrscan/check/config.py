"""Configuration: built-in defaults < discovered file < --config FILE < flags.

Discovery walks up from a start directory and stops at the first directory
holding `.csrscan.yaml`, `.csrscan.yml` or a `pyproject.toml` with a
`[tool.csrscan]` table (in that order of precedence within one directory;
only one file is read). Every value remembers where it came from
(`Config.sources`), which `csrscan config show` prints. docs/check.md
documents the keys.
"""

from __future__ import annotations

import contextlib
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from csrscan import formats
from csrscan.check.policy import FAIL_ON, LEVELS, SEVERITIES, Policy
from csrscan.errors import ConfigError

CONFIG_NAMES = (".csrscan.yaml", ".csrscan.yml", "pyproject.toml")
_TOOL_TABLE = re.compile(rb"^[ \t]*\[+[ \t]*tool[ \t]*\.[ \t]*csrscan\b", re.MULTILINE)
FORMATS = formats.names("check")
SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schema" / "config.schema.json"
MAPPING_KEYS = ("policy.require", "policy.severity")
DEFAULT = "default"
DEFAULT_REQUIRE = {"*": "partial"}

Layer = dict[str, Any]  # dotted key → value; mapping keys hold dicts


@dataclass(frozen=True, slots=True)
class Config:
    """The effective configuration of one run."""

    pack: str | None
    rules: tuple[str, ...]
    format: str | None
    baseline: str | None
    policy: Policy
    sources: tuple[tuple[str, str], ...] = ()
    files: tuple[str, ...] = field(default=())
    db: str | None = None

    def source_of(self, key: str) -> str:
        return dict(self.sources).get(key, DEFAULT)

    @classmethod
    def resolve(cls, start: Path | None = None, config_file: Path | None = None,
                flags: Mapping[str, Any] | None = None, discover: bool = True) -> Config:
        """Merge defaults, the discovered file, `config_file` and command-line flags."""
        layers: list[tuple[str, Layer]] = []
        if discover:
            found = discover_config(start or Path.cwd())
            if found is not None:
                layers.append((str(found), read_config_file(found)))
        if config_file is not None:
            layers.append((str(config_file), read_config_file(config_file, explicit=True)))
        if flags:
            layers.append(("command line", flags_layer(flags)))
        return merge(layers)


def discover_config(start: Path) -> Path | None:
    """The first config file found from `start` upward, or None."""
    here = start.resolve()
    for folder in (here, *here.parents):
        for name in CONFIG_NAMES:
            candidate = folder / name
            if candidate.is_file() and (name != "pyproject.toml" or _has_tool_table(candidate)):
                return candidate
    return None


def _has_tool_table(path: Path) -> bool:
    """Whether a pyproject.toml configures csrscan. One that is not TOML is
    another tool's affair; one that is, but holds a value Python cannot make
    (a 5,000-digit number), is ours when it names a [tool.csrscan] table: a
    policy silently passed over would give another verdict."""
    try:
        data = _load_toml(path)
    except ConfigError as exc:
        if not exc.message.startswith(("invalid TOML", "cannot read")):
            with contextlib.suppress(OSError):
                if _TOOL_TABLE.search(path.read_bytes()):
                    raise
        return False
    return isinstance(data.get("tool"), dict) and "csrscan" in data["tool"]


def _load_toml(path: Path) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    from csrscan.packs.yamlsafe import value_error

    text = ""
    try:
        text = path.read_bytes().decode("utf-8")
        data: dict[str, Any] = tomllib.loads(text)
        return data
    except OSError as exc:
        raise ConfigError(f"cannot read: {exc.strerror}", path=str(path)) from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"invalid TOML: not UTF-8 ({exc.reason})", path=str(path)) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"invalid TOML: {exc}", path=str(path)) from None
    except ValueError as exc:  # a value TOML cannot make (a 5,000-digit number)
        raise ConfigError(value_error(exc, text), path=str(path)) from None


def _load_yaml(path: Path) -> Any:
    """The file's YAML under the rule packs' limits (packs/yamlsafe.py): an
    alias tree ("billion laughs") or a huge value is refused naming the line,
    before the schema validator walks it."""
    import yaml

    from csrscan.packs.yamlsafe import check_expansion, value_error

    text = ""
    try:
        text = path.read_text(encoding="utf-8")
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        check_expansion(data, text, str(path), ConfigError)
        return data
    except OSError as exc:
        raise ConfigError(f"cannot read: {exc.strerror}", path=str(path)) from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise ConfigError(f"invalid YAML{where}: {getattr(exc, 'problem', exc)}",
                          path=str(path)) from None
    except ValueError as exc:  # a value YAML cannot make (a 5,000-digit number)
        raise ConfigError(value_error(exc, text), path=str(path)) from None


def read_config_file(path: Path, explicit: bool = False) -> Layer:
    """Read and check one config file into a layer of dotted keys."""
    if not path.is_file():
        raise ConfigError("config file not found", path=str(path))
    if path.suffix == ".toml":
        tool = _load_toml(path).get("tool", {})
        raw = tool.get("csrscan") if isinstance(tool, dict) else None
        if raw is None:
            if explicit:
                raise ConfigError("no [tool.csrscan] table", path=str(path))
            return {}
        prefix = "tool.csrscan."
    else:
        raw = _load_yaml(path)
        raw = {} if raw is None else raw
        prefix = ""
    return parse_mapping(raw, str(path), prefix, path.parent)


def _fail(origin: str, key: str, message: str) -> ConfigError:
    return ConfigError(f"key '{key}': {message}", path=None if origin == "command line"
                       else origin)


def parse_mapping(raw: Any, origin: str, prefix: str = "", base: Path | None = None) -> Layer:
    """Check one config mapping against the config schema, then flatten it into
    dotted keys; relative paths join `base`."""
    if not isinstance(raw, dict):
        raise ConfigError("the config must be a mapping", path=origin)
    try:
        _validator()(raw)
    except Exception as exc:  # fastjsonschema's JsonSchemaValueException, imported lazily
        raise _schema_error(exc, origin, prefix) from None
    layer: Layer = {}
    for key, value in raw.items():
        if key == "policy":
            layer.update({f"policy.{k}": _policy_value(k, v) for k, v in value.items()})
        elif key in ("rules", "baseline", "db"):
            paths = tuple(_join(base, v) for v in ([value] if isinstance(value, str) else value))
            layer[key] = paths if key == "rules" else paths[0]
        else:
            layer[key] = value
    return _not_nan(layer, origin, prefix)


def _policy_value(key: str, value: Any) -> Any:
    if key in ("require", "severity"):
        return {str(k): str(v) for k, v in value.items()}
    if key == "require_indicators":
        return tuple(value)
    return float(value) if key == "min_score" else str(value)


def _not_nan(layer: Layer, origin: str, prefix: str) -> Layer:
    """YAML's .nan is a number the schema lets through, and no score reaches it."""
    score = layer.get("policy.min_score")
    if score is not None and score != score:
        raise _fail(origin, prefix + "policy.min_score", "must be a number from 0 to 1, not nan")
    return layer


def config_schema() -> dict[str, Any]:
    """csrscan/schema/config.schema.json with `format` limited to check's
    formats in the registry (`csrscan config schema` prints it for editors)."""
    import json

    schema: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    schema["properties"]["format"]["enum"] = list(FORMATS)
    return schema


@cache
def _validator() -> Any:
    import fastjsonschema  # lazy, as for rule packs: compiled once to Python

    return fastjsonschema.compile(config_schema())


def _schema_error(exc: Any, origin: str, prefix: str) -> ConfigError:
    """A schema failure in csrscan's words: the key's dotted name and the
    schema's `x-message` for the rule that failed."""
    node, keys = exc.definition, [str(k) for k in exc.path[1:]]
    if exc.rule == "additionalProperties" and "properties" in node:
        unknown = sorted(set(map(str, exc.value)) - set(node["properties"]))[0]
        return _fail(origin, prefix + ".".join([*keys, unknown]),
                     f"unknown key (known: {', '.join(node['properties'])})")
    message = node.get("x-message", "invalid value")
    if isinstance(message, dict):
        message = message.get(exc.rule, message[""])
    known = ", ".join(map(str, node.get("enum", ())))
    return _fail(origin, prefix + ".".join(keys), message.format(value=exc.value, known=known))


def _join(base: Path | None, value: str) -> str:
    if base is None or Path(value).is_absolute():
        return value
    import os

    return os.path.relpath(base / value) if base.is_absolute() else str(base / value)


def _choice(value: Any, allowed: Iterable[str], origin: str, name: str) -> str:
    allowed = tuple(allowed)
    if value not in allowed:
        raise _fail(origin, name, f"must be one of {', '.join(allowed)}, not {value!r}")
    return str(value)


def _score(value: Any, origin: str, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        raise _fail(origin, name, f"must be a number from 0 to 1, not {value!r}")
    return float(value)


def flags_layer(flags: Mapping[str, Any]) -> Layer:
    """Command-line values (None = not given) as a layer; pairs are 'key=value'."""
    layer: Layer = {}
    for key, value in flags.items():
        if value is None or value == () or value == []:
            continue
        if key in MAPPING_KEYS:
            allowed = LEVELS if key == "policy.require" else SEVERITIES
            option = "--require" if key == "policy.require" else "--severity"
            layer[key] = {k: _choice(v, allowed, "command line", f"{option} {k}")
                          for k, v in (_pair(p, option) for p in value)}
        elif key == "policy.min_score":
            layer[key] = _score(value, "command line", "--min-score")
        elif key == "policy.fail_on":
            layer[key] = _choice(value, FAIL_ON, "command line", "--fail-on")
        elif key in ("rules", "policy.require_indicators"):
            layer[key] = tuple(str(v) for v in value)
        else:
            layer[key] = str(value)
    return layer


def _pair(text: str, option: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise ConfigError(f"{option}: expected TOPIC=VALUE, got {text!r}")
    return key.strip(), value.strip()


def merge(layers: list[tuple[str, Layer]]) -> Config:
    """Later layers win; `policy.require` / `policy.severity` merge item by item."""
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for origin, layer in layers:
        for key, value in layer.items():
            if key in MAPPING_KEYS:
                values.setdefault(key, {}).update(value)
                sources[key] = origin
                sources.update({f"{key}.{k}": origin for k in value})
            else:
                values[key] = value
                sources[key] = origin
    if "policy.require" not in values:
        values["policy.require"] = dict(DEFAULT_REQUIRE)
    policy = Policy(
        require=tuple(sorted(values["policy.require"].items())),
        require_indicators=tuple(sorted(set(values.get("policy.require_indicators", ())))),
        min_score=values.get("policy.min_score"),
        severity=tuple(sorted(values.get("policy.severity", {}).items())),
        fail_on=values.get("policy.fail_on", "error"))
    return Config(pack=values.get("pack"), rules=tuple(values.get("rules", ())),
                  format=values.get("format"), baseline=values.get("baseline"),
                  policy=policy, sources=tuple(sorted(sources.items())),
                  files=tuple(o for o, _ in layers if o != "command line"),
                  db=values.get("db"))
