"""Safe YAML reading for hemcell's declarative files.

Plain ``yaml.safe_load`` already refuses tags that construct Python objects; this
loader also refuses

- duplicate keys (PyYAML would silently keep the last one);
- anchors and aliases (``&name`` / ``*name``): none of hemcell's files needs them, and
  nested aliases expand exponentially ("billion laughs": a 1 kB file that stands for
  gigabytes of data once a consumer walks or prints it);
- files larger than :data:`MAX_YAML_BYTES` and nesting deeper than Python can walk;

and turns every YAML problem into a :class:`~hemcell.errors.ParameterError` naming the
file and the line, never echoing more than a short piece of the file.
"""

from __future__ import annotations

import copy
import functools
from pathlib import Path
from typing import Any

import yaml

from hemcell.errors import ParameterError, shorten

#: Largest YAML file read [bytes]; the biggest shipped file (the parameter registry) is
#: about 100 kB, so this leaves two orders of magnitude for user files.
MAX_YAML_BYTES = 16 * 1024 * 1024
_ALLOWED = "plain YAML (mappings, lists, numbers, strings) without tags, anchors, aliases " \
           "or duplicate keys"

# libyaml's C parser when PyYAML was built with it (about 10x faster than pure Python)
_BaseSafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _StrictSafeLoader(_BaseSafeLoader):  # type: ignore[misc, valid-type]
    """SafeLoader that rejects duplicate mapping keys."""


def _construct_mapping(loader: _StrictSafeLoader, node: yaml.MappingNode, deep: bool = False
                       ) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if not isinstance(key, str | int | float | bool | None):
            raise yaml.constructor.ConstructorError(
                None, None, f"a {type(key).__name__} as a mapping key (keys are plain words "
                "or numbers)", key_node.start_mark)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


def _refuse_tag(loader: _StrictSafeLoader, node: yaml.Node) -> Any:
    raise yaml.constructor.ConstructorError(
        None, None, f"the tag {node.tag} (binary data, sets and ordered pairs are refused)",
        node.start_mark)


def _timestamp_as_text(loader: _StrictSafeLoader, node: yaml.ScalarNode) -> str:
    """Keep ``2024-05-01`` as the text it is (no hemcell value is a date)."""
    return str(loader.construct_scalar(node))


_StrictSafeLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
                                  _construct_mapping)
_StrictSafeLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_as_text)
for _tag in ("binary", "set", "omap", "pairs"):
    _StrictSafeLoader.add_constructor(f"tag:yaml.org,2002:{_tag}", _refuse_tag)


def safe_load_text(text: str, source: str) -> Any:
    """Parse YAML text safely.

    Parameters
    ----------
    text
        YAML document.
    source
        Name used in error messages (usually the file path).

    Raises
    ------
    ParameterError
        On syntax errors, duplicate keys, anchors/aliases, Python-object tags and
        nesting too deep to walk.
    """
    if len(text) > MAX_YAML_BYTES:
        raise ParameterError(source, f"{len(text)} characters",
                             f"a YAML file of at most {MAX_YAML_BYTES} bytes")
    try:
        _refuse_aliases(text, source)
        return yaml.load(text, Loader=_StrictSafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark is not None else ""
        # the problem only, never str(exc): that quotes the offending line of the file
        problem = shorten(getattr(exc, "problem", None) or getattr(exc, "reason", None)
                          or type(exc).__name__)
        if isinstance(exc, yaml.reader.ReaderError):  # a control character or bad bytes
            problem = f"{problem} at character {exc.position} (a text file is expected)"
        if "could not determine a constructor" in problem:
            problem = f"{problem} (YAML tags that construct Python objects are refused)"
        raise ParameterError(f"{source}{where}", problem, _ALLOWED) from None
    except RecursionError:
        raise ParameterError(source, "nesting too deep to read", _ALLOWED) from None


def _refuse_aliases(text: str, source: str) -> None:
    """Raise :class:`ParameterError` at the first anchor or alias of ``text``.

    Scans the parser's event stream (linear in the text, nothing is expanded) before
    anything is constructed.
    """
    for event in yaml.parse(text, Loader=_BaseSafeLoader):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            mark = event.start_mark
            raise ParameterError(f"{source} line {mark.line + 1}", "an anchor or alias",
                                 _ALLOWED, hint="write the values out in full")


def safe_load_file(path: str | Path) -> Any:
    """Read and safely parse a YAML file (see :func:`safe_load_text`)."""
    path = Path(path)
    try:
        with path.open("rb") as fh:
            data = fh.read(MAX_YAML_BYTES + 1)
    except FileNotFoundError:
        raise ParameterError("file", str(path), "an existing YAML file") from None
    except IsADirectoryError:
        raise ParameterError("file", str(path), "a YAML file, not a folder") from None
    except OSError as exc:
        raise ParameterError("file", str(path), "a readable YAML file",
                             hint=exc.strerror) from None
    if len(data) > MAX_YAML_BYTES:
        raise ParameterError(str(path), f"more than {MAX_YAML_BYTES} bytes",
                             f"a YAML file of at most {MAX_YAML_BYTES} bytes")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ParameterError(str(path), "non-UTF-8 bytes", "a UTF-8 text file") from None
    return copy.deepcopy(_parsed(text, str(path)))


@functools.lru_cache(maxsize=64)
def _parsed(text: str, source: str) -> Any:
    """:func:`safe_load_text`, kept per text and source (a sweep or a run loads the same
    parameter files many times; parsing is ~0.1 s a file). Callers get a deep copy."""
    return safe_load_text(text, source)
