"""The data model: the one contract between pipeline stages.

Every annotation is a half-open character span ``(start, end)`` into ``Article.text``; the text
itself is never rewritten. Stages add annotations to an :class:`Analysis`; the compare stage
turns several analyses into a :class:`Comparison`. ``to_dict`` turns any of these into plain
JSON-ready data.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import PurePath
from typing import Any, Literal

SCHEMA_VERSION = "1.0"

EntityType = Literal["PERS", "LOC", "ORG", "MISC"]
SourceKind = Literal["named_person", "organization", "media", "anonymous", "unattributed"]
CueKind = Literal["negation", "hedge", "ruling_out", "future", "reported"]
FindingKind = Literal[
    "contradiction", "agreement", "unique", "numeric_discrepancy", "date_discrepancy",
    "sourcing_contrast", "naming", "timing",
]


# --------------------------------------------------------------------------- ingest
@dataclass(slots=True)
class Article:
    """One news article exactly as published, with what is known about it."""

    id: str
    text: str
    title: str | None = None
    source: str | None = None  # the outlet, e.g. "aljazeera"
    url: str | None = None
    author: str | None = None
    published: datetime | None = None
    credits: str | None = None  # a trailing line such as "المصدر : الجزيرة + وكالات"
    language: str | None = None
    origin: str | None = None  # where it was read from: a path, "<stdin>", a URL, "file.jsonl:12"
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def outlet(self) -> str:
        """The outlet as every view names it (see :func:`outlet_name`)."""
        return outlet_name(self.source, self.credits, self.origin, self.id)


_CREDITS_LABEL = re.compile(r"^\s*(?:المصدر|المصادر|مصدر|Sources?)\s*[:：]\s*", re.I)


def outlet_name(source: str | None, credits: str | None, origin: str | None, article_id: str) -> str:
    """A short name for an article's outlet: its source, else its credits line without its
    label (``المصدر : الجزيرة + وكالات`` → ``الجزيرة + وكالات``), else the file it was read
    from, else its id. Comparisons, reports and the workspace all name outlets by it."""
    if source:
        return source
    if credits:
        name = _CREDITS_LABEL.sub("", credits).strip()
        if name:
            return name[:40]
    if origin and origin not in ("-", "<stdin>"):
        return PurePath(origin.split(":", 1)[0]).stem[:40]
    return article_id


# --------------------------------------------------------------------------- text
@dataclass(slots=True)
class Token:
    start: int
    end: int
    kind: str  # word | number | percent | url | hashtag | mention | punct | symbol
    key: str  # matching key: normalised, clitics stripped (the displayed text is never rewritten)
    stem: str = ""  # a coarser lemma/stem key
    prefix: str = ""  # proclitics split off, e.g. "وب"
    suffix: str = ""  # enclitics split off, e.g. "ها"


@dataclass(slots=True)
class Sentence:
    start: int
    end: int
    paragraph: int
    token_start: int  # index of the first token in Document.tokens
    token_end: int  # one past the last
    content: bool = True  # False for boilerplate (share prompts, sign-offs, "read also", credits)


@dataclass(slots=True)
class Segment:
    """A stretch of one language, e.g. an English photo caption in an Arabic article."""

    start: int
    end: int
    lang: str  # ISO 639-1: "ar", "en", "fr", ...


@dataclass(slots=True)
class Document:
    """An article's text layer: sentences, tokens and language segments as spans."""

    article: Article
    sentences: list[Sentence]
    tokens: list[Token]
    segments: list[Segment]
    # A very long text is analysed up to this character only (bounded work per article);
    # None: the whole text.
    analysed_to: int | None = None

    @property
    def text(self) -> str:
        return self.article.text

    def span_text(self, start: int, end: int) -> str:
        return self.article.text[start:end]

    def sentence_tokens(self, i: int) -> list[Token]:
        s = self.sentences[i]
        return self.tokens[s.token_start:s.token_end]

    def sentence_at(self, offset: int) -> int | None:
        """Index of the sentence containing character ``offset``."""
        lo, hi = 0, len(self.sentences) - 1
        while lo <= hi:
            mid = (lo + hi) // 2
            s = self.sentences[mid]
            if offset < s.start:
                hi = mid - 1
            elif offset >= s.end:
                lo = mid + 1
            else:
                return mid
        return None


# --------------------------------------------------------------------------- extract
@dataclass(slots=True)
class Mention:
    start: int
    end: int
    text: str
    type: EntityType
    entity: str | None = None  # Entity.id
    sentence: int | None = None
    how: str = ""  # gazetteer | alias | tagger | surname | title | ...


@dataclass(slots=True)
class Entity:
    """One person, organisation, place or thing, however many names it goes by."""

    id: str  # stable across articles for known entities, e.g. "Q:kerry" or "LOC:ليبيا"
    type: EntityType
    name_ar: str | None = None
    name_en: str | None = None
    subtype: str | None = None  # media | armed_group | ministry | country | city | base | ...
    names: list[str] = field(default_factory=list)  # surface forms seen
    mentions: list[Mention] = field(default_factory=list)


@dataclass(slots=True)
class Source:
    """One link in a sourcing chain: who a statement is attributed to."""

    kind: SourceKind
    text: str = ""
    start: int | None = None
    end: int | None = None
    entity: str | None = None
    role: str | None = None  # e.g. "journalist", "minister", "newspaper"


@dataclass(slots=True)
class Quote:
    """A reported statement: speaker, reporting cue and content, direct or indirect."""

    start: int
    end: int
    content_start: int
    content_end: int
    cue_start: int | None = None
    cue_end: int | None = None
    cue: str = ""  # the reporting verb's lemma, e.g. "قال", "نفى", "according to"
    direct: bool = False
    chain: list[Source] = field(default_factory=list)  # outermost first; the last is ultimate
    inherited: bool = False  # continues a source named earlier ("وأفادت ذات المصادر")
    sentence: int | None = None

    @property
    def source(self) -> Source:
        return self.chain[-1] if self.chain else Source("unattributed")


@dataclass(slots=True)
class Quantity:
    start: int
    end: int
    text: str
    value: float | None  # None for vague amounts ("عشرات")
    unit: str | None = None  # the counted noun or currency, e.g. "جندي", "USD", "%"
    kind: str = "count"  # count | percent | money | ordinal | vague
    approximate: bool = False
    qualifier: str | None = None  # more_than | less_than | about | up_to | only
    sentence: int | None = None


@dataclass(slots=True)
class DateExpr:
    start: int
    end: int
    text: str
    value: str | None  # ISO date (2016-02-02), month (2016-02) or year (2017); None if unresolved
    granularity: str = "day"  # day | week | month | year | time
    relative: bool = False
    anchor: str | None = None  # the publication date it was resolved against
    tense: str | None = None  # past | future | None
    sentence: int | None = None


@dataclass(slots=True)
class Cue:
    start: int
    end: int
    kind: CueKind
    text: str = ""
    scope_start: int | None = None
    scope_end: int | None = None
    sentence: int | None = None


@dataclass(slots=True)
class Claim:
    """A checkable statement with its attribution and the annotations inside it."""

    id: str
    start: int
    end: int
    text: str
    sentence: int
    chain: list[Source] = field(default_factory=list)
    quote: int | None = None  # index into Analysis.quotes
    entities: list[str] = field(default_factory=list)
    quantities: list[int] = field(default_factory=list)
    dates: list[int] = field(default_factory=list)
    cues: list[int] = field(default_factory=list)
    polarity: str = "positive"  # positive | negative
    modality: str = "asserted"  # asserted | future | hedged | ruled_out | reported
    hedged: bool = False
    checkworthy: float | None = None

    @property
    def source(self) -> Source:
        return self.chain[-1] if self.chain else Source("unattributed")


@dataclass(slots=True)
class Analysis:
    """Everything riwaya knows about one article."""

    document: Document
    entities: list[Entity] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    dates: list[DateExpr] = field(default_factory=list)
    cues: list[Cue] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)

    @property
    def article(self) -> Article:
        return self.document.article


# --------------------------------------------------------------------------- compare
@dataclass(slots=True)
class Evidence:
    article: str  # Article.id
    start: int
    end: int
    text: str
    claim: str | None = None  # Claim.id


@dataclass(slots=True)
class Finding:
    id: str
    kind: FindingKind
    articles: list[str]
    evidence: list[Evidence]
    explanation_ar: str
    explanation_en: str
    confidence: float
    status: str = "unresolved"  # riwaya never rules on truth: disputes stay unresolved
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Story:
    id: str
    articles: list[str]
    confidence: float = 1.0
    label: str = ""


@dataclass(slots=True)
class SummarySentence:
    text_ar: str
    text_en: str
    findings: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)


@dataclass(slots=True)
class StoryComparison:
    story: Story
    findings: list[Finding] = field(default_factory=list)
    summary: list[SummarySentence] = field(default_factory=list)


@dataclass(slots=True)
class Comparison:
    analyses: list[Analysis]
    stories: list[StoryComparison]
    set_aside: list[str] = field(default_factory=list)  # articles related to no other


# --------------------------------------------------------------------------- serialisation
def to_dict(obj: Any) -> Any:
    """Plain JSON-ready data for any model object (dates as ISO strings)."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_dict(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, list | tuple):
        return [to_dict(x) for x in obj]
    if isinstance(obj, dict):
        return {str(k): to_dict(v) for k, v in obj.items()}
    if isinstance(obj, datetime | date):
        return obj.isoformat()
    return obj
