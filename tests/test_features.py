"""Search features on a generated multi-issue archive: facet arithmetic, related articles and their evaluation,
translations, issue browsing, autocomplete and "did you mean"; and their CLI commands."""

from __future__ import annotations

import json

import pytest

import archive_factory
from index.build import build_index, open_index
from search.articles import evaluate_related, get_article, related
from search.cli import main
from search.issues import issue_contents, list_issues
from search.searcher import Filters, search
from search.suggest import complete, did_you_mean


@pytest.fixture(scope="module")
def multi(tmp_path_factory):
    root = tmp_path_factory.mktemp("multi")
    archive_factory.write(root / "archive.jsonl")
    build_index([root / "archive.jsonl"], root / "index")
    ix = open_index(root / "index")
    yield ix
    ix.close()


def counts(result, name):
    return {v.value: v.count for v in result.facets[name]}


def test_facet_counts_by_hand(multi):
    # «суу»: the five Kyrgyz water articles, the press release and the article of unknown issue.
    result = search(multi, "суу")
    assert result.total == 7
    assert counts(result, "year") == {"2024": 3, "2023": 1, "2022": 2, "2021": 1}
    assert counts(result, "kind") == {"magazine-article": 6, "press-release": 1}
    assert counts(result, "issue") == {"1 (120)": 1, "2 (121)": 1, "1 (132)": 1, "1 (147)": 1, "2 (148)": 1,
                                       "unknown": 2}
    assert [v.value for v in result.facets["issue"]] == ["1 (120)", "2 (121)", "1 (132)", "1 (147)", "2 (148)",
                                                         "unknown"]  # publication order
    assert counts(result, "section") == {"Тажрыйба": 5, "unknown": 2}


def test_facet_drill_down(multi):
    result = search(multi, "суу", Filters(year=[2024, 2022]))  # two values of one facet: OR
    assert result.total == 5
    assert counts(result, "year") == {"2024": 3, "2023": 1, "2022": 2, "2021": 1}  # ignores its own selection
    assert {v.value for v in result.facets["year"] if v.selected} == {"2024", "2022"}
    assert counts(result, "kind") == {"magazine-article": 4, "press-release": 1}
    both = search(multi, "суу", Filters(year=[2024], kind=["press-release"]))  # different facets: AND
    assert both.total == 1
    assert search(multi, "суу", Filters(author=["Айгүл АСАНОВА"])).total == 5


def test_related_articles(multi):
    found = related(multi, "ky-water-0")
    ids = [r.id for r in found]
    assert "ky-water-0" not in ids and "ru-water-0" not in ids  # never itself, nor its other-language twin
    assert len(set(ids)) == len(ids) and len({r.title for r in found}) == len(found)
    assert {"ky-water-1", "ky-water-2"} <= set(ids[:4])
    top = found[0]
    assert top.shared and all(isinstance(w, str) and w == w.lower() for w in top.shared)
    assert related(multi, "no-such-id") is None


def test_related_evaluation_against_editors_lists(multi):
    report = evaluate_related(multi)
    assert report.articles == 5 and report.listed == 20
    assert report.recall >= 0.9


def test_translations_are_linked_both_ways_only_when_sure(multi):
    for n in range(5):
        ky, ru = get_article(multi, f"ky-water-{n}"), get_article(multi, f"ru-water-{n}")
        assert ky.translation["id"] == f"ru-water-{n}" and ru.translation["id"] == f"ky-water-{n}"
    assert get_article(multi, "ky-budget-0").translation is None
    assert get_article(multi, "news-1").translation is None


def test_ambiguous_translations_link_nothing(tmp_path):
    same = "В селе Баткен отремонтировали водопровод за 150 тысяч сомов, MSDSP KG."
    rows = [
        {"id": "ky", "title": "Суу", "body": "Баткен айылында 150 миң сомго суу түтүгү оңдолду, MSDSP KG.",
         "language": "ky", "kind": "magazine-article", "date": "2024-01-31", "issue": "1 (147)"},
        {"id": "ru1", "title": "Вода", "body": same, "language": "ru", "kind": "magazine-article",
         "date": "2024-01-31", "issue": "1 (147)"},
        {"id": "ru2", "title": "Вода 2", "body": same, "language": "ru", "kind": "magazine-article",
         "date": "2024-01-31", "issue": "1 (147)"},
    ]
    (tmp_path / "a.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows))
    build_index([tmp_path / "a.jsonl"], tmp_path / "ix")
    ix = open_index(tmp_path / "ix")
    assert get_article(ix, "ky").translation is None
    ix.close()


@pytest.mark.parametrize("title, body", [
    ("Баткен облусу", "Бишкекте жана Ошто 2024-жылы MSDSP KG жардам берди."),
    ("", "Бишкекте жана Ошто 2024-жылы MSDSP KG жардам берди."),  # no title: the body opens the text
    ("Вода в Караколе", ""),
    ("«Токтогул» районунда", "Айыл өкмөтү Жалал-Абад облусунун 15 айылын камтыйт."),
])
def test_signature_reads_title_and_body_as_one_text(title, body):
    """The signature of title and body apart is that of the one text they make, positions run on (as it was
    computed before: the body's tokens copied with their positions shifted)."""
    import dataclasses

    from index.analysis import analyze
    from index.records import Article
    from index.translations import signature

    article = Article(id="x", source="x", title=title, body=body, language="ky")
    t, b = analyze(title, "ky"), analyze(body, "ky")
    one_text = t + [dataclasses.replace(w, pos=w.pos + len(t)) for w in b]
    assert signature(article, t, b) == signature(article, one_text)
    assert signature(article, t, b)  # every case has a number, a Latin word or a name


def test_issue_browsing(multi):
    years = list_issues(multi)
    assert list(years) == [2024, 2023, 2022]
    assert [(i.label, i.articles) for i in years[2024]] == [("1 (147)", 4), ("2 (148)", 4)]
    assert [i.label for i in years[2022]] == ["1 (120)", "2 (121)"]
    assert list(list_issues(multi, 2023)) == [2023]
    toc = issue_contents(multi, "1 (147)")
    # «Опыт» is the Russian name of «Тажрыйба» in the rubric table (index/rubrics.txt): one rubric, one value.
    assert [(e.language, e.section) for e in toc] == [("ky", "Бюджет"), ("ky", "Тажрыйба"), ("ky", "Тажрыйба"),
                                                      ("ru", "Тажрыйба")]
    assert issue_contents(multi, "99 (999)") == []


def test_autocomplete(multi):
    words = [c.text for c in complete(multi, "түтү") if c.kind == "word"]
    assert "түтүктөрү" in words
    assert "түтүктөрү" in [c.text for c in complete(multi, "тутук")]  # typed without ү
    assert any(c.kind == "title" and c.text.startswith("Суу түтүктөрү") for c in complete(multi, "суу"))
    assert [c.text for c in complete(multi, "бюджеттик уг")][0] == "бюджеттик угуулар"  # earlier words kept
    assert complete(multi, "") == [] and complete(multi, "!!!") == []


def test_did_you_mean(multi):
    result = search(multi, "таштандылрды")
    assert result.total == 0 and result.suggestion == "таштандыларды"
    assert search(multi, result.suggestion).total > 0
    assert did_you_mean(multi, "суу") is None  # a word the archive has is not corrected
    assert search(multi, "суу").suggestion is None


@pytest.mark.parametrize("args, expect", [
    (["issues"], "№1 (147)"),
    (["issues", "--issue", "1 (147)"], "Тажрыйба"),
    (["suggest", "тутук"], "түтүктөрү"),
    (["related", "ky-water-0"], "жалпы сөздөр"),
    (["related", "--evaluate"], "recall@10"),
    (["show", "ky-water-0"], "Башка тилде: Водопровод"),
    (["search", "таштандылрды"], "Муну издедиңизби: таштандыларды?"),
    (["search", "таштандылрды", "--correct"], "Табылды: 2"),
    (["search", "суу", "--facets", "--from", "2024", "--to", "2024-12"], "Жыл: 2024 (3)"),
])
def test_cli_commands(runner, multi, args, expect):
    path = multi.storage.folder
    result = runner.invoke(main, args + ["--index", path])
    assert result.exit_code == 0, result.output
    assert expect in result.output


@pytest.mark.parametrize("args", [["issues", "--json"], ["suggest", "суу", "--json"], ["related", "ky-water-0", "--json"],
                                  ["show", "ky-water-0", "--json"], ["related", "--evaluate", "--json"]])
def test_cli_json(runner, multi, args):
    result = runner.invoke(main, args + ["--index", multi.storage.folder])
    assert result.exit_code == 0
    json.loads(result.output)


@pytest.mark.parametrize("args", [["show", "nope"], ["related", "nope"], ["issues", "--issue", "99 (999)"],
                                  ["related"], ["search", "x", "--from", "last year"]])
def test_cli_errors_are_clear(runner, multi, args):
    result = runner.invoke(main, args + ["--index", multi.storage.folder])
    assert result.exit_code in (1, 2)
    assert "Traceback" not in result.output and result.output.strip()
