"""Result objects as JSON-ready data, for the CLI's --json and the web API alike."""

from __future__ import annotations

import dataclasses


def to_data(value):
    """Data classes (inside dicts, lists and tuples too) as plain dicts and lists; `to_dict()` where defined."""
    if isinstance(value, dict):
        return {str(k): to_data(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_data(v) for v in value]
    if hasattr(value, "to_dict"):
        return value.to_dict()
    return dataclasses.asdict(value) if dataclasses.is_dataclass(value) else value
