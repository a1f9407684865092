"""A generated multi-issue archive (JSON Lines) whose facets, related lists and translations are known."""

from __future__ import annotations

import json
from pathlib import Path

ISSUES = [("1 (120)", "2022-01-30"), ("2 (121)", "2022-02-28"), ("1 (132)", "2023-01-31"), ("1 (147)", "2024-01-31"),
          ("2 (148)", "2024-02-13")]
TOPICS = {
    "water": ("Суу түтүктөрү", "Ичүүчү суу менен камсыз кылуу үчүн айылда суу түтүктөрү оңдолду. Суу түтүктөрүн "
              "оңдоого жергиликтүү бюджеттен каражат бөлүндү. Тургундар ичүүчү сууну колдоого алышты.",
              "Водопровод", "Для обеспечения питьевой водой в селе отремонтировали водопровод. На ремонт водопровода "
              "выделили средства из местного бюджета."),
    "waste": ("Таштандыларды чогултуу", "Шаарда таштандыларды чогултуу кызматы жакшырды. Таштанды ташуучу "
              "унаалар сатылып алынды, таштандыларды сорттоо башталды.",
              "Вывоз мусора", "В городе улучшилась служба вывоза мусора. Закуплены мусоровозы, начата сортировка "
              "мусора."),
    "budget": ("Бюджеттик угуулар", "Айыл өкмөтү бюджеттик угууларды өткөрдү. Тургундар жергиликтүү бюджеттин "
               "долбоорун талкуулап, сунуштарын беришти.",
               "Бюджетные слушания", "Айыл окмоту провел бюджетные слушания. Жители обсудили проект местного "
               "бюджета и внесли предложения."),
}
SECTIONS = {"water": ("Тажрыйба", "Опыт"), "waste": ("Тажрыйба", "Опыт"), "budget": ("Бюджет", "Бюджет")}


def rows() -> list[dict]:
    """Every issue has a water and a budget article in Kyrgyz, and the water article in Russian too; 2024's
    issues also have a waste article. Two news items have no issue; one article's issue is unknown."""
    out = []
    for n, (issue, date) in enumerate(ISSUES):
        topics = ["water", "budget"] + (["waste"] if date.startswith("2024") else [])
        for topic in topics:
            ky_title, ky_body, ru_title, ru_body = TOPICS[topic]
            place = ["Баткен", "Ош", "Нарын", "Талас", "Кочкор"][n]
            number = 100 + n * 7
            out.append({"id": f"ky-{topic}-{n}", "title": f"{ky_title}: {place}", "language": "ky",
                        "kind": "magazine-article", "date": date, "issue": issue, "section": SECTIONS[topic][0],
                        "authors": ["Айгүл АСАНОВА"] if topic == "water" else [],
                        "body": f"{place} айылында {ky_body} " + (
                            f"Долбоорго {number} миң сом жумшалды. MSDSP KG колдоду." if topic == "water"
                            else f"Жыйынга {number + 3} адам катышты.")})
            if topic == "water":
                out.append({"id": f"ru-{topic}-{n}", "title": f"{ru_title}: {place}", "language": "ru",
                            "kind": "magazine-article", "date": date, "issue": issue,
                            "section": SECTIONS[topic][1],
                            "body": f"В селе {place} {ru_body} На проект потратили {number} тысяч сомов. "
                                    f"Поддержал MSDSP KG."})
    # The editors' related lists: each water article lists the other water articles of the archive.
    water = [r for r in out if r["id"].startswith("ky-water")]
    for r in water:
        r["related"] = [{"issue": o["issue"], "date": o["date"], "title": o["title"]} for o in water if o is not r]
    out.append({"id": "news-1", "title": "Форум", "body": "Жергиликтүү бюджеттер тууралуу форум өттү.",
                "language": "ky", "kind": "news", "date": "2023-06-01T10:00"})
    out.append({"id": "news-2", "title": "Пресс-релиз", "body": "Суу түтүктөрү тууралуу маалымат.",
                "language": "ky", "kind": "press-release", "date": "2024-03-03T11:50"})
    out.append({"id": "ky-unknown", "title": "Бюджет жана суу", "body": "Суу түтүктөрү жана бюджет.",
                "language": "ky", "kind": "magazine-article", "date": "2021-05-05"})
    return out


def write(path: Path) -> Path:
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows()) + "\n", encoding="utf-8")
    return path
