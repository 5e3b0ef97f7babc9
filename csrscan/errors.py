"""Typed errors raised by the library; only the CLI maps them to exit codes."""

from __future__ import annotations


class CsrscanError(Exception):
    """Base class: every error csrscan raises on purpose."""

    exit_code = 2

    def __init__(self, message: str, *, path: str | None = None) -> None:
        self.path = path
        self.message = message
        super().__init__(f"{path}: {message}" if path else message)

    def __reduce__(self) -> tuple[object, ...]:
        """Errors cross process pipes (a guarded scan) with their fields intact:
        the default pickling would call __init__ again with the joined message."""
        return (_restore, (type(self), dict(self.__dict__), self.args))


class InputError(CsrscanError):
    """The input file cannot be read as a report (missing, corrupt, no text, …)."""


class EncodingError(InputError):
    """A text file's bytes cannot be decoded without mojibake."""


class RuleError(CsrscanError):
    """A rule pack is invalid: names the file, the rule id and the key."""

    def __init__(self, message: str, *, path: str | None = None,
                 rule: str | None = None, key: str | None = None) -> None:
        self.rule = rule
        self.key = key
        where = ", ".join(p for p in (f"rule {rule}" if rule else "",
                                      f"key '{key}'" if key else "") if p)
        super().__init__(f"{where}: {message}" if where else message, path=path)


class ConfigError(CsrscanError):
    """A config file or option is invalid: names the file and the key."""


def value_problem(exc: ValueError) -> str:
    """A parser's ValueError in a user's words: YAML and TOML turn numbers and
    dates into Python values, and Python refuses integers of more than 4,300
    digits (a guard against slow conversions) and impossible dates."""
    text = str(exc)
    if "integer string conversion" in text:
        return "a number has more than 4300 digits"
    return f"invalid value: {text.split(';')[0]}"


class LimitError(InputError):
    """An input needs more than a resource limit allows (--max-memory, --timeout)."""


def _restore(cls: type[CsrscanError], state: dict[str, object],
             args: tuple[object, ...]) -> CsrscanError:
    exc = cls.__new__(cls)
    exc.args = args
    exc.__dict__.update(state)
    return exc

