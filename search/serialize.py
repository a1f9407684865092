"""Result objects as JSON-ready data, for the CLI's --json and the web API alike."""

from __future__ import annotations

import dataclasses

_ATOMS = (str, int, float, bool, type(None))
_FIELDS: dict[type, tuple[str, ...]] = {}


def plain(value):
    """`dataclasses.asdict(value)`, as fast as a search result's JSON needs (a page of hits with their snippets' parts
    and every facet's values is some 1,300 objects: `asdict` deep-copies each, a quarter of an API search's time).
    The same dicts, lists and tuples, new ones throughout; anything else `asdict` itself copies."""
    kind = type(value)
    if kind in _ATOMS:
        return value
    names = _FIELDS.get(kind)
    if names is None and dataclasses.is_dataclass(value) and not isinstance(value, type):
        names = _FIELDS[kind] = tuple(f.name for f in dataclasses.fields(value))
    if names is not None:
        return {name: plain(getattr(value, name)) for name in names}
    if kind is list:
        return [plain(v) for v in value]
    if kind is dict:
        return {plain(k): plain(v) for k, v in value.items()}
    if kind is tuple:
        return tuple(plain(v) for v in value)
    return dataclasses.asdict(_Boxed(value))["value"]  # anything else (a named tuple, a subclass): as `asdict`


@dataclasses.dataclass
class _Boxed:
    """A value for `asdict` to copy as it copies a data class's field."""
    value: object


def to_data(value):
    """Data classes (inside dicts, lists and tuples too) as plain dicts and lists; `to_dict()` where defined."""
    if isinstance(value, dict):
        return {str(k): to_data(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_data(v) for v in value]
    if hasattr(value, "to_dict"):
        return value.to_dict()
    return plain(value) if dataclasses.is_dataclass(value) else value
