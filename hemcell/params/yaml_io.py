"""Safe YAML reading for hemcell's declarative files.

Plain ``yaml.safe_load`` already refuses tags that construct Python objects; this
loader also refuses duplicate keys (PyYAML would silently keep the last one) and turns
every YAML problem into a :class:`~hemcell.errors.ParameterError` naming the file and
the line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from hemcell.errors import ParameterError

# libyaml's C parser when PyYAML was built with it (about 10x faster than pure Python)
_BaseSafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _StrictSafeLoader(_BaseSafeLoader):  # type: ignore[misc, valid-type]
    """SafeLoader that rejects duplicate mapping keys."""


def _construct_mapping(loader: _StrictSafeLoader, node: yaml.MappingNode, deep: bool = False
                       ) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_StrictSafeLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
                                  _construct_mapping)


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
        On syntax errors, duplicate keys and Python-object tags.
    """
    try:
        return yaml.load(text, Loader=_StrictSafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        if "could not determine a constructor" in str(exc):
            problem = f"{problem} (YAML tags that construct Python objects are refused)"
        raise ParameterError(f"{source}{where}", problem,
                             "plain YAML (mappings, lists, numbers, strings) without tags or "
                             "duplicate keys") from None


def safe_load_file(path: str | Path) -> Any:
    """Read and safely parse a YAML file (see :func:`safe_load_text`)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ParameterError("file", str(path), "an existing YAML file") from None
    except UnicodeDecodeError:
        raise ParameterError(str(path), "non-UTF-8 bytes", "a UTF-8 text file") from None
    return safe_load_text(text, str(path))
