"""Jinja filters of the web app's pages that are more than one expression: counted nouns in
Arabic with the number isolated, and entity types in words."""

from __future__ import annotations

from markupsafe import Markup, escape

from riwaya.report.wording import count_ar

TYPE_AR = {"PERS": "شخص", "LOC": "مكان", "ORG": "مؤسسة", "MISC": "أخرى"}


def count(n: int | None, noun: str, genitive: bool = False) -> Markup:
    """``n`` of ``noun`` (a key of :data:`riwaya.report.wording.AR_NOUNS`) as Arabic agreement wants it
    («مقال واحد», «مقالان», «3 مقالات», «11 مقالاً»), the number in ``<bdi>`` so that it never
    reorders with a neighbouring name or number. ``genitive`` after a preposition («من وسيلتين»)."""
    number, word = count_ar(int(n or 0), noun, genitive)
    if not number:
        return Markup(escape(word))
    return Markup(f"<bdi>{escape(number)}</bdi> {escape(word)}")


def entity_type(code: str | None) -> str:
    """PERS → «شخص» ...; an unknown code is shown as it is."""
    return TYPE_AR.get(code or "", code or "")
