"""Build ``src/riwaya/data/dates_months.json``: month names in every Arabic regional series.

Gregorian month names come from CLDR (via babel) for every Arabic locale, so the Levantine
(كانون الثاني ...), Egyptian/Gulf (يناير ...), Maghrebi (جانفي، جويلية ...) and Moroccan (غشت، دجنبر ...)
series are all there; spellings CLDR lacks (يونيه، يوليه، إبريل، أغسطس variants, ...) are added by hand.
Hijri month names come from CLDR's islamic calendar where babel has them, plus common variants.
Run: ``.venv/bin/python scripts/build_date_lexicon.py``.
"""

from __future__ import annotations

import json
from pathlib import Path

from babel import Locale, localedata

OUT = Path(__file__).resolve().parents[1] / "src" / "riwaya" / "data" / "dates_months.json"

EXTRA_GREGORIAN = {  # common spellings CLDR does not list
    1: ["كانون ثاني", "جانفييه"], 2: ["فيفرى"], 3: ["مارث"],
    4: ["ابريل", "إبريل", "أبريل", "نيسان", "افريل"], 5: ["مايو", "ماي", "ايار"],
    6: ["يونيه", "يونيو", "جوان"], 7: ["يوليه", "يوليو", "جويليه", "يوليوز"],
    8: ["أغسطس", "اغسطس", "أوت", "اوت", "غشت", "آب"], 9: ["سبتمبر", "ايلول", "شتنبر"],
    10: ["أكتوبر", "اكتوبر", "تشرين أول"], 11: ["نوفمبر", "نونبر", "تشرين ثاني"],
    12: ["ديسمبر", "دجنبر", "دسمبر", "كانون أول"],
}
HIJRI = {  # fixed list: the islamic calendar names are not in babel's data for every locale
    1: ["محرم", "المحرم"], 2: ["صفر"], 3: ["ربيع الأول", "ربيع الاول"], 4: ["ربيع الآخر", "ربيع الثاني"],
    5: ["جمادى الأولى", "جمادى الأول"], 6: ["جمادى الآخرة", "جمادى الثانية", "جمادى الآخر"],
    7: ["رجب"], 8: ["شعبان"], 9: ["رمضان"], 10: ["شوال"], 11: ["ذو القعدة", "ذي القعدة"],
    12: ["ذو الحجة", "ذي الحجة"],
}
ENGLISH = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"]


def main() -> None:
    gregorian: dict[int, set[str]] = {m: set(v) for m, v in EXTRA_GREGORIAN.items()}
    for loc in sorted(x for x in localedata.locale_identifiers() if x == "ar" or x.startswith("ar_")):
        months = Locale.parse(loc).months
        for context in ("format", "stand-alone"):
            for m, name in months.get(context, {}).get("wide", {}).items():
                gregorian[m].add(name)
    english: dict[int, list[str]] = {m: [n, n[:3]] for m, n in enumerate(ENGLISH, 1)}
    english[9].append("Sept")
    data = {
        "gregorian": {str(m): sorted(v) for m, v in sorted(gregorian.items())},
        "hijri": {str(m): v for m, v in HIJRI.items()},
        "english": {str(m): v for m, v in english.items()},
    }
    OUT.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {OUT}: {sum(len(v) for v in gregorian.values())} Gregorian names")


if __name__ == "__main__":
    main()
