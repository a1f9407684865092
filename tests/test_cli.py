"""The `izde` command, through click's runner: inspect, index build, search, analyze; errors and help."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from web.cli import main  # the full `izde` command, serve included
from test_reader import SEEDS


@pytest.fixture(scope="module")
def built(tmp_path_factory, sample_dir):
    from click.testing import CliRunner

    path = tmp_path_factory.mktemp("cli") / "index"
    result = CliRunner().invoke(main, ["index", "build", "--index", str(path)])
    assert result.exit_code == 0, result.output
    assert "Индекстелди: 5, өткөрүлдү: 0" in result.output
    return path


def test_inspect_json_gives_the_seed_table(runner, sample_dir):
    result = runner.invoke(main, ["inspect", str(sample_dir), "--json"])
    assert result.exit_code == 0
    records = {Path(r["source"]).name[:3]: r for r in json.loads(result.output)}
    for seed, (language, kind, date, section, issue, title) in SEEDS.items():
        r = records[seed]
        assert (r["language"], r["kind"], r["date"], r["section"], r["issue"]) == (language, kind, date, section, issue)
        assert r["title"].startswith(title)
        assert set(r) >= {"id", "source", "url", "authors", "year", "body", "related"}


def test_inspect_reports_bad_files(runner, tmp_path):
    (tmp_path / "empty.txt").write_text("")
    result = runner.invoke(main, ["inspect", str(tmp_path)])
    assert result.exit_code == 0
    assert "empty.txt: empty file" in result.output


def test_build_reports_skipped_files(runner, tmp_path):
    (tmp_path / "ok.txt").write_text("Аталыш\n\nЖергиликтүү бюджет тууралуу текст.", encoding="utf-8")
    (tmp_path / "bad.bin").write_bytes(b"\x00\x01\x02")
    result = runner.invoke(main, ["index", "build", str(tmp_path), "--index", str(tmp_path / "ix")])
    assert result.exit_code == 0
    assert "Индекстелди: 1, өткөрүлдү: 1" in result.output
    assert "bad.bin: binary file" in result.output


@pytest.mark.parametrize("name, value", [("IZDE_BUILD_MEMORY_MB", "lots"), ("IZDE_BUILD_WORKERS", "-2")])
def test_a_bad_build_setting_is_a_clear_error(runner, tmp_path, sample_dir, monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    result = runner.invoke(main, ["index", "build", str(sample_dir), "--index", str(tmp_path / "ix")])
    assert result.exit_code == 1 and f"{name} must be" in result.output and repr(value) in result.output
    assert "Traceback" not in result.output and not (tmp_path / "ix").exists()


def test_an_archive_with_no_article_leaves_the_index_as_it_was(runner, tmp_path, sample_dir):
    """A build or update of an archive in which every file was skipped (or the wrong folder) stops with a message
    and keeps the index; it used to fail with a traceback (build), or remove every article (update)."""
    index = tmp_path / "ix"
    assert runner.invoke(main, ["index", "build", str(sample_dir), "--index", str(index)]).exit_code == 0
    (tmp_path / "wrong").mkdir()
    (tmp_path / "wrong" / "bad.bin").write_bytes(b"\x00\x01\x02")
    for command in ("build", "update"):
        result = runner.invoke(main, ["index", command, str(tmp_path / "wrong"), "--index", str(index)])
        assert result.exit_code == 1 and "no article found" in result.output and "bad.bin: binary file" in result.output
        assert "Traceback" not in result.output
        found = runner.invoke(main, ["search", "жергиликтүү", "--index", str(index), "--json"])
        assert found.exit_code == 0 and json.loads(found.output)["total"] == 5


def test_search_json(runner, built):
    result = runner.invoke(main, ["search", "жергиликтүү", "--index", str(built), "--json"])
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["total"] == 5
    assert {"id", "title", "snippet", "date", "issue", "section", "score"} <= set(data["hits"][0])
    assert "«" in data["hits"][0]["snippet"]
    assert set(data["facets"]) == {"issue", "year", "section", "language", "kind"}


def test_search_text_and_filters(runner, built):
    result = runner.invoke(main, ["search", "жергиликтүү", "--index", str(built), "--year", "2024"])
    assert result.exit_code == 0
    assert "Табылды: 1" in result.output and "№1 (147)" in result.output
    result = runner.invoke(main, ["search", "жер", "гиликтүү", '"', "--index", str(built)])
    assert result.exit_code == 0


def test_search_without_index_is_a_clear_error(runner, tmp_path):
    result = runner.invoke(main, ["search", "жер", "--index", str(tmp_path / "none")])
    assert result.exit_code == 1
    assert "izde index build" in result.output and "Traceback" not in result.output


def test_analyze_table_json_and_stdin(runner):
    result = runner.invoke(main, ["analyze", "ЖӨБдүн жер- гиликтүү", "--json"])
    tokens = json.loads(result.output)["tokens"]
    assert [(t["original"], t["text"], t["stem"]) for t in tokens] == [
        ("ЖӨБдүн", "жөбдүн", "жөб"), ("жергиликтүү", "жергиликтүү", tokens[1]["stem"])]
    assert tokens[1]["start"] == 7 and tokens[1]["end"] == 20
    result = runner.invoke(main, ["analyze", "-"], input="муниципалитеттерге\njergiliktuu\n")
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [line["tokens"][0]["stem"] for line in lines] == ["муниципалитет", "jergiliktuu"]
    assert lines[1]["tokens"][0]["latin"] == json.loads(runner.invoke(
        main, ["analyze", "жергиликтүү", "--json"]).output)["tokens"][0]["latin"]
    assert "муниципалитет" in runner.invoke(main, ["analyze", "муниципалитеттерге"]).output


def _commands(group, prefix=()):
    for name, command in group.commands.items():
        if hasattr(command, "commands"):
            yield from _commands(command, prefix + (name,))
        else:
            yield list(prefix + (name,))


@pytest.mark.parametrize("command", list(_commands(main)), ids=" ".join)
def test_every_command_has_help_with_an_example(runner, command):
    result = runner.invoke(main, command + ["--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output


def test_readme_documents_every_command():
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    for command in _commands(main):
        assert f"izde {' '.join(command)}" in readme, command


def test_index_build_json(runner, tmp_path):
    (tmp_path / "bad.bin").write_bytes(b"\x00\x01")
    (tmp_path / "ok.txt").write_text("Аталыш\n\nТекст.", encoding="utf-8")
    result = runner.invoke(main, ["index", "build", str(tmp_path), "--index", str(tmp_path / "ix"), "--json"])
    data = json.loads(result.output)
    assert data["indexed"] == 1 and data["skipped"][0]["reason"].startswith("binary file")
    assert data["related"]["stored"] == 1 and (tmp_path / "ix" / "related.sqlite").is_file()


def test_related_lists_that_cannot_be_stored_are_a_warning_not_a_failed_build(tmp_path, capsys):
    """The index is in place by then: a list that cannot be stored is computed when asked for."""
    from search.cli import _echo_related, _store_related

    found = _store_related(tmp_path / "no-index-here")
    assert found["stored"] == 0 and "no-index-here" in found["error"]
    _echo_related(found)  # says so in words, without a traceback
    said = capsys.readouterr()
    assert said.err.startswith("эскертүү: окшош материалдар сакталган жок (") and "no-index-here" in said.err
    assert "алар суралганда эсептелет" in said.err and not said.out and "Traceback" not in said.err
