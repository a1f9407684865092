"""Docs that cannot drift: every `$ izde …` example in the README runs, and every command it names exists."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from web.cli import main  # the `izde` entry point (pyproject.toml): the search group with `serve` added

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
EXAMPLES = [line.split("$ ", 1)[1].split("  #")[0].strip() for line in README.splitlines() if line.startswith("$ izde")]
SEEDS = Path(__file__).parent.parent / "index" / "sample"


def test_readme_has_examples():
    assert len(EXAMPLES) >= 5
    assert README.startswith("# Izde") and "make test" in README.split("##")[0]


@pytest.mark.parametrize("example", EXAMPLES)
def test_readme_example_runs(runner, tmp_path, monkeypatch, example):
    monkeypatch.setenv("IZDE_INDEX", str(tmp_path / "index"))
    assert runner.invoke(main, ["index", "build"]).exit_code == 0
    args = shlex.split(example)[1:]
    args = [str(SEEDS) if a == "../shared/seeds" else a for a in args]
    args = [str(tmp_path / "index") if a == "var/index" else a for a in args]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output


def test_readme_query_syntax_examples_parse():
    from search.query import parse_query

    section = README.split("### Query syntax", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `(.+?)` \|", section, flags=re.M)
    queries = [q for row in rows for q in re.split(r"`, `", row)]
    assert len(queries) >= 10
    for query in queries:
        assert parse_query(query).query is not None, query
