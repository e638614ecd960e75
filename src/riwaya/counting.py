"""Counted nouns, in English and Arabic: "1 outlet", "2 outlets"; «وسيلة واحدة», «وسيلتان», «3 وسائل».

Arabic agreement follows the number: one and two have their own forms (the noun with «واحد/ة»,
the dual), 3–10 take the plural, 11–99 the singular (accusative), and hundreds the singular
again; the last two digits decide above a hundred. Zero takes the plural («0 مقالات»).
"""

from __future__ import annotations

from typing import NamedTuple


class ArabicNoun(NamedTuple):
    """The forms a counted Arabic noun takes."""

    one: str  # «مقال واحد»
    two: str  # dual: «مقالان»
    two_genitive: str  # the dual after a preposition: «من مقالين»
    plural: str  # 3–10: «مقالات»
    singular: str  # 11–99 (accusative) and hundreds: «مقالاً»
    hundred: str  # 100, 200 ... (genitive singular): «مقال»


AR_NOUNS = {
    "article": ArabicNoun("مقال واحد", "مقالان", "مقالين", "مقالات", "مقالاً", "مقال"),
    "outlet": ArabicNoun("وسيلة واحدة", "وسيلتان", "وسيلتين", "وسائل", "وسيلة", "وسيلة"),
    "story": ArabicNoun("قصة واحدة", "قصتان", "قصتين", "قصص", "قصة", "قصة"),
    "finding": ArabicNoun("نتيجة واحدة", "نتيجتان", "نتيجتين", "نتائج", "نتيجة", "نتيجة"),
    "claim": ArabicNoun("ادعاء واحد", "ادعاءان", "ادعاءين", "ادعاءات", "ادعاءً", "ادعاء"),
    "result": ArabicNoun("نتيجة واحدة", "نتيجتان", "نتيجتين", "نتائج", "نتيجة", "نتيجة"),
}


def count_en(n: int, noun: str, plural: str | None = None) -> str:
    """``1 outlet``, ``2 outlets``, ``1,200 articles`` (``plural`` where ``noun + "s"`` is wrong)."""
    return f"{n:,} {noun if n == 1 else plural or noun + 's'}"


def count_ar(n: int, noun: str, genitive: bool = False) -> tuple[str, str]:
    """The number as shown and the Arabic noun form that goes after it: ``("", "مقال واحد")``
    for one and ``("", "مقالان")`` for two (the noun says the number), ``("3", "مقالات")``,
    ``("11", "مقالاً")``, ``("100", "مقال")``. ``noun`` is a key of :data:`AR_NOUNS`;
    ``genitive`` after a preposition («من مقالين»: only the dual changes)."""
    forms = AR_NOUNS[noun]
    if n == 0:
        return "0", forms.plural
    if n == 1:
        return "", forms.one
    if n == 2:
        return "", forms.two_genitive if genitive else forms.two
    tail = n % 100
    if 3 <= tail <= 10:
        return str(n), forms.plural
    if 11 <= tail <= 99:
        return str(n), forms.singular
    return str(n), forms.hundred


def count_ar_text(n: int, noun: str, genitive: bool = False) -> str:
    """:func:`count_ar` as one plain string: «مقال واحد», «3 مقالات»."""
    number, word = count_ar(n, noun, genitive)
    return f"{number} {word}" if number else word
