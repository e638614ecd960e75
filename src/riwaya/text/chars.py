"""Character maps for matching keys: what ``fold`` removes and what it unifies."""

from __future__ import annotations

# Marks removed from keys: harakat, superscript alef, Quranic marks, tatweel, bidi and joiners.
REMOVED = (
    "".join(chr(c) for c in range(0x064B, 0x0660))  # fathatan .. wavy hamza below
    + "\u0670"  # superscript alef
    + "".join(chr(c) for c in range(0x06D6, 0x06EE))  # Quranic annotation marks
    + "\u0640"  # tatweel
    + "\u061c\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"
    + "\u00ad"  # soft hyphen
)

# One-to-one foldings.  Hamza seats: أ إ آ ٱ → ا; ؤ and ئ → ء (so مسؤول = مسئول); ى → ي; ة → ه.
FOLDED = {
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ٲ": "ا", "ٳ": "ا",
    "ؤ": "ء", "ئ": "ء",
    "ى": "ي", "ی": "ي", "ې": "ي", "ۍ": "ي",  # alef maqsura, Persian/Urdu ya
    "ة": "ه", "ۀ": "ه", "ە": "ه", "ھ": "ه",  # ta marbuta, heh variants
    "ک": "ك", "ڪ": "ك",  # Persian/Swash kaf
    "٫": ".", "٬": ",", "،": ",", "؛": ";", "؟": "?", "٪": "%", "٭": "*",
}
for _i in range(10):
    FOLDED[chr(0x0660 + _i)] = str(_i)  # Arabic-Indic digits
    FOLDED[chr(0x06F0 + _i)] = str(_i)  # Extended (Persian/Urdu) digits

FOLD_TABLE = str.maketrans({**FOLDED, **dict.fromkeys(REMOVED)})

