"""Shared fixtures: the real sample archive, real Whoosh indexes on disk, the real CLI."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from index.archive import sample_archive
from index.build import build_index, open_index

# The suite hits the app faster than any person: rate limits are off unless a test turns them on
# (tests/test_web.py::test_rate_limits_answer_429_with_retry_after).
os.environ.setdefault("IZDE_RATELIMIT_ENABLED", "false")

DATA = Path(__file__).parent / "data"
PAGES = DATA / "pages"


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    return sample_archive()


@pytest.fixture(scope="session")
def sample_index(tmp_path_factory, sample_dir):
    """An index of the bundled sample archive (five real pages), built once per test session."""
    path = tmp_path_factory.mktemp("sample") / "index"
    report = build_index([sample_dir], path)
    assert report.indexed == 5
    ix = open_index(path)
    yield ix
    ix.close()


@pytest.fixture(scope="session")
def mixed_index(tmp_path_factory, sample_dir):
    """The sample plus the hand-made Kyrgyz and Russian pages of tests/data/pages."""
    path = tmp_path_factory.mktemp("mixed") / "index"
    build_index([sample_dir, PAGES], path)
    ix = open_index(path)
    yield ix
    ix.close()


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def write_jsonl(path: Path, rows: list) -> Path:
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows) + "\n",
                    encoding="utf-8")
    return path
