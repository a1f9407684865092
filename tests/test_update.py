"""`izde index update`, the build lock, cleaning up after killed builds, and damaged indexes: each on real indexes
on disk, a running HTTP server, and real processes killed with SIGKILL."""

from __future__ import annotations

import json
import os
import shutil
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

import archive_factory
from conftest import izde_serve
from index.build import META_FILE, IndexBusy, IndexUnavailable, build_index, build_lock, open_index, update_index
from index.archive import sample_archive
from search.articles import get_article
from search.cli import main
from search.searcher import search
from web import create_app

sys.path.append(str(Path(__file__).parent.parent / "bench"))  # after the packages: bench/search.py is a script
import stress  # noqa: E402

QUERIES = ["суу", "бюджет", "жергиликтүү", "водопровод", "Баткен", "таштанды", "форум", "мектеп"]


def _archive(root: Path) -> Path:
    """The sample pages and the generated archive, one JSON Lines file an issue, so files can come and go."""
    archive = root / "archive"
    shutil.copytree(sample_archive(), archive, ignore=shutil.ignore_patterns("NOTICE.md"))
    rows = archive_factory.rows()
    for n in range(0, len(rows), 4):
        (archive / f"part-{n:02d}.jsonl").write_text(
            "\n".join(json.dumps(r, ensure_ascii=False) for r in rows[n:n + 4]) + "\n", encoding="utf-8")
    return archive


def _snapshot(path: Path) -> dict:
    """What users get from an index: every article whole (key terms, twin), and each query's hits and facets."""
    ix = open_index(path)
    try:
        with ix.searcher() as searcher:
            ids = sorted(d["id"] for d in searcher.all_stored_fields())
        articles = {i: get_article(ix, i).to_dict() for i in ids}
        results = {}
        for q in QUERIES:
            found = search(ix, q, page_size=50, cache=False)
            results[q] = (found.total, sorted(h.id for h in found.hits), found.facets)
        return {"articles": articles, "results": results}
    finally:
        ix.close()


def test_update_gives_what_a_full_build_gives(tmp_path):
    archive = _archive(tmp_path)
    report = update_index([archive], tmp_path / "ix")  # no index yet: a full build
    assert report.rebuilt and report.added == report.indexed > 20
    assert update_index([archive], tmp_path / "ix").unchanged == report.indexed  # nothing to do

    (archive / "part-00.jsonl").unlink()  # four articles gone
    edited = archive / "part-04.jsonl"
    edited.write_text(edited.read_text(encoding="utf-8").replace("Суу түтүктөрү", "Суу түтүктөрү жаңыланды", 1),
                      encoding="utf-8")
    (archive / "new.jsonl").write_text(json.dumps({
        "title": "Мектептин чатыры", "body": "Баткен айылында мектептин чатыры оңдолду. Суу да келди.",
        "language": "ky", "kind": "news", "date": "2024-05-01"}, ensure_ascii=False) + "\n", encoding="utf-8")
    update = update_index([archive], tmp_path / "ix")
    # The edited row keeps its explicit id: changed, not added.
    assert (update.added, update.removed) == (1, 4) and update.changed >= 1 and update.rebuilt is None
    assert update.unchanged == report.indexed - 4 - update.changed
    build_index([archive], tmp_path / "full")
    assert _snapshot(tmp_path / "ix") == _snapshot(tmp_path / "full")


def test_serving_answers_through_an_update_without_a_failed_request(tmp_path):
    archive = _archive(tmp_path)
    build_index([archive], tmp_path / "ix")
    with izde_serve(tmp_path / "ix", "--threads", "4") as (base, _process):
        _search_through_updates(archive, tmp_path / "ix", base)


def _search_through_updates(archive: Path, index: Path, base: str) -> None:
    failures, answers, stop = [], [], threading.Event()

    def client():
        while not stop.is_set():
            for q in ("суу", "Зымырык"):  # the second word is only in the article the updates add
                url = f"{base}/api/search?q={urllib.parse.quote(q)}"
                try:
                    with urllib.request.urlopen(url, timeout=30) as response:
                        answers.append((q, json.load(response)["total"]))
                except Exception as exc:  # any failed request fails the test
                    failures.append(repr(exc))

    clients = [threading.Thread(target=client) for _ in range(3)]
    new = archive / "new.jsonl"
    try:
        for c in clients:
            c.start()
        while len(answers) < 6:
            time.sleep(0.05)
        assert ("Зымырык", 0) in answers
        for n in range(4):  # four swaps while the clients search: add the article, change it, …
            new.write_text(json.dumps({
                "title": "Мектептин чатыры", "body": f"Зымырык айылында мектептин чатыры {n + 1} жолу оңдолду.",
                "language": "ky", "kind": "news", "date": "2024-05-01"}, ensure_ascii=False) + "\n", encoding="utf-8")
            seen = len(answers)
            update_index([archive], index)
            deadline = time.monotonic() + 30
            while len(answers) < seen + 6 and time.monotonic() < deadline:
                time.sleep(0.05)
        found = len(answers)
        while not any(q == "Зымырык" and total == 1 for q, total in answers[found:]) and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()
        for c in clients:
            c.join()
    assert not failures and len(answers) >= 30
    assert any(q == "Зымырык" and total == 1 for q, total in answers[found:])  # found without a restart


def test_one_build_at_a_time_and_leftovers_are_cleaned(tmp_path, runner):
    build_index([sample_archive()], tmp_path / "ix")
    builds = tmp_path / "ix.builds"
    (builds / "20200101T000000-1-000001").mkdir()  # a build killed before its meta file
    (tmp_path / ".ix.swap-99999").symlink_to("nowhere")  # a swap link never renamed
    with build_lock(tmp_path / "ix"):
        with pytest.raises(IndexBusy, match="another build or update .* is running \\(pid"):
            update_index([sample_archive()], tmp_path / "ix")
        result = runner.invoke(main, ["index", "build", str(sample_archive()), "--index", str(tmp_path / "ix")])
        assert result.exit_code == 75 and "is running" in result.output and "Traceback" not in result.output
    assert not (builds / "20200101T000000-1-000001").exists()
    update_index([sample_archive()], tmp_path / "ix")
    assert not (builds / "20200101T000000-1-000001").exists() and not (tmp_path / ".ix.swap-99999").is_symlink()
    assert len([p for p in builds.iterdir() if (p / META_FILE).exists()]) <= 2


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("built")
    build_index([sample_archive()], root / "ix")
    return root


@pytest.mark.parametrize("damage", ["truncate", "delete", "schema", "meta"])
def test_a_damaged_index_gets_a_clear_message_and_exit_code(tmp_path, runner, built, damage):
    shutil.copytree(built, tmp_path, symlinks=True, dirs_exist_ok=True)
    folder = Path(os.path.realpath(tmp_path / "ix"))
    segment = max((f for f in folder.iterdir() if f.suffix in (".pst", ".trm", ".seg", ".vps")),
                  key=lambda f: f.stat().st_size)
    meta = folder / META_FILE
    if damage == "truncate":
        with open(segment, "r+b") as f:
            f.truncate(segment.stat().st_size // 2)
    elif damage == "delete":
        segment.unlink()
    elif damage == "schema":
        meta.write_text(json.dumps({**json.loads(meta.read_text()), "schema_version": 1}))
    else:
        meta.write_text("{not json")
    with pytest.raises(IndexUnavailable):
        open_index(tmp_path / "ix")
    result = runner.invoke(main, ["search", "суу", "--index", str(tmp_path / "ix")])
    assert result.exit_code == 1 and "rebuild it with `izde index build`" in result.output
    assert "Traceback" not in result.output
    client = create_app({"INDEX": str(tmp_path / "ix")}).test_client()
    assert client.get("/api/search?q=суу").status_code == 503
    assert update_index([sample_archive()], tmp_path / "ix").rebuilt  # and the next update rebuilds it
    assert search(open_index(tmp_path / "ix"), "суу").total > 0


@pytest.mark.parametrize("command", ["build", "update"])
def test_killed_builds_and_updates_never_harm_the_index(tmp_path, command):
    """A few of `make stress`'s SIGKILL trials: the previous index answers as before, the next run completes."""
    trials = stress.kill_trials(tmp_path, command, trials=2, seed=7, articles=40, length=(40, 120))
    assert trials["intact"] == trials["trials"] == 2 and trials["completed"]


def test_an_update_of_undated_pages_alone_keeps_every_sort_working(tmp_path):
    """An update that adds only pages without a date writes a segment with no date column; Whoosh's newest-first
    order then looked for its documents' b"" among the other segments' dates and failed every search."""
    from conftest import write_jsonl

    rows = [{"id": f"d{i}", "title": f"Бюджет {i}", "body": "Айыл өкмөтүнүн бюджети жөнүндө.", "date": f"2020-0{i}-01",
             "language": "ky", "kind": "news"} for i in range(1, 4)]
    (tmp_path / "a").mkdir()
    archive = write_jsonl(tmp_path / "a" / "archive.jsonl", rows)
    update_index([archive], tmp_path / "ix")
    write_jsonl(archive, rows + [{"id": "undated", "title": "Бюджет жок күн", "body": "Бюджет тууралуу кабар.",
                                  "language": "ky", "kind": "news"}])
    assert update_index([archive], tmp_path / "ix").added == 1
    ix = open_index(tmp_path / "ix")
    assert len(ix._read_toc().segments) == 2
    for sort in ("relevance", "newest", "oldest"):
        fast, straightforward = (search(ix, "бюджет", sort=sort, fast=fast) for fast in (True, False))
        assert fast.total == 4 and [h.id for h in fast.hits] == [h.id for h in straightforward.hits], sort
    assert [h.id for h in search(ix, "бюджет", sort="newest").hits][:3] == ["d3", "d2", "d1"]
    ix.close()


def test_an_update_that_changes_most_articles_builds_anew(tmp_path, monkeypatch):
    """A moved archive changes every article's record (its source): the update builds anew rather than leave a
    deleted copy of each in the index, and says so."""
    import index.build as build_module
    from conftest import write_jsonl

    monkeypatch.setattr(build_module, "REBUILD_FROM", 3)
    rows = [{"id": f"m{i}", "title": f"Бюджет {i}", "body": "Айыл өкмөтүнүн бюджети.", "date": f"2021-0{i}-01",
             "language": "ky", "kind": "news"} for i in range(1, 6)]
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        write_jsonl(tmp_path / folder / "archive.jsonl", rows)
    update_index([tmp_path / "a" / "archive.jsonl"], tmp_path / "ix")
    report = update_index([tmp_path / "a" / "archive.jsonl"], tmp_path / "ix")
    assert report.rebuilt is None and report.unchanged == 5
    report = update_index([tmp_path / "b" / "archive.jsonl"], tmp_path / "ix")  # the same articles, moved
    assert report.changed == 5 and report.indexed == 5 and "5 of the index's 5 articles" in report.rebuilt
    ix = open_index(tmp_path / "ix")
    assert len(ix._read_toc().segments) == 1 and ix.doc_count_all() == ix.doc_count() == 5
    assert search(ix, "бюджет").total == 5
    ix.close()
