"""The JSON API's response shapes, as pydantic models, so ``/openapi.json`` documents every field.

They describe what :mod:`riwaya.web.pages` returns (the same data the HTML pages show); the
routes validate against them. Spans are ``start``/``end`` character offsets into the article's
text, as everywhere in riwaya.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from riwaya.model import FindingKind, SourceKind

Cell = Literal["states", "agrees", "contradicts", "differs", "silent"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="allow")  # a field added to the store shows through


class StorySummary(_Model):
    """A story's row in the list."""

    id: str
    label: str = Field(description="the headline of its first titled article")
    n_articles: int
    n_outlets: int
    outlets: list[str]
    first_published: str | None = Field(description="ISO time of its earliest article, if dated")
    last_published: str | None
    counts: dict[str, int] = Field(description="findings of each kind")
    n_contradictions: int
    confidence: float
    dirty: bool = Field(description="new articles arrived: the findings are being recomputed")
    n_reports: int = Field(0, description="its articles with the copies of one report counted once")
    n_contested: int = Field(0, description="matters on which two outlets or more contradict each other")
    last_activity: str | None = Field(None, description="its latest publication time; an undated "
                                      "article counts at the time it was ingested")
    single_outlet: bool = Field(False, description="one outlet alone reports it: nothing compared across "
                                "outlets (listed after the stories several outlets report)")


class StoryList(_Model):
    stories: list[StorySummary]
    page: int
    first: int = Field(description="the position of the page's first story in the whole list, from 1")
    total: int = Field(description="stories matching, on every page")
    more: bool = Field(description="a next page exists")
    sort: Literal["newest", "contested", "largest"]
    exclude: list[str] = Field(description="outlets left out of the list")
    all: bool = Field(description="single-article stories included")


class StoryArticle(_Model):
    id: str
    source: str | None
    outlet: str = Field(description="the outlet as every view names it")
    title: str | None
    published: str | None
    url: str | None
    copy_of: str | None = Field(None, description="the article whose report this one carries (a copy, "
                                "shown with it and never compared with it)")


class EntityCount(_Model):
    id: str
    type: str = Field(description="PERS, LOC, ORG or MISC")
    name: str
    n: int = Field(description="mentions in the story")


class Evidence(_Model):
    article: str
    start: int
    end: int
    text: str
    claim: str | None = None


class Finding(_Model):
    id: str
    kind: FindingKind
    articles: list[str]
    evidence: list[Evidence]
    explanation_ar: str
    explanation_en: str
    confidence: float
    status: str = Field(description="disputes stay 'unresolved': riwaya never rules on truth")
    details: dict[str, Any] = {}


class StoryHeader(_Model):
    id: str
    articles: list[str]
    confidence: float
    label: str


class SummarySentence(_Model):
    text_ar: str
    text_en: str
    findings: list[str]
    evidence: list[Evidence] = []


class StoryComparison(_Model):
    story: StoryHeader
    findings: list[Finding]
    summary: list[SummarySentence] = []


class TimelineClaim(_Model):
    start: int
    end: int
    text: str
    source: SourceKind


class TimelineEntry(_Model):
    article: str
    outlet: str
    title: str | None
    url: str | None
    published: str | None
    claims: list[TimelineClaim]
    findings: list[str]


class MatrixRow(_Model):
    finding: str
    kind: FindingKind
    label: str
    cells: dict[str, Cell] = Field(description="each outlet's position on the finding's matter")


class StoryView(_Model):
    outlets: dict[str, str] = Field({}, description="article id -> outlet")
    columns: list[str] = []
    timeline: list[TimelineEntry] = []
    matrix: list[MatrixRow] = []
    n_articles: int | None = Field(None, description="articles in the story (some may not be compared)")


class StoryPage(_Model):
    summary: StorySummary
    articles: list[StoryArticle]
    carried_by: dict[str, list[StoryArticle]] = Field(
        {}, description="report article id -> the copies of it other articles carry")
    entities: list[EntityCount]
    comparison: StoryComparison | None = Field(description="null until the findings are computed")
    omitted: dict[str, int] = Field(description="findings of each kind left out of the page")
    view: StoryView


class Article(_Model):
    id: str
    source: str | None
    outlet: str
    title: str | None
    url: str | None
    author: str | None
    published: str | None
    credits: str | None


class ArticleWithText(Article):
    text: str = Field(description="exactly as published")


class ArticleEvidence(Evidence):
    finding: str
    kind: FindingKind


class ArticlePage(_Model):
    article: ArticleWithText
    story: str | None
    opinion: bool = Field(description="reads as an opinion piece (a column, an editorial): it "
                                      "stands alone, joining no story of reports")
    evidence: list[ArticleEvidence] = Field(description="spans of this article cited by findings")


class NameUse(_Model):
    name: str
    n: int
    outlets: list[str]


class EntityPage(_Model):
    id: str
    type: str
    name_ar: str | None
    name_en: str | None
    subtype: str | None
    names: list[NameUse] = Field(description="the names it goes by, and which outlets use each")
    outlets: list[tuple[str, int]] = Field(description="(outlet, mentions), most first")
    stories: list[StorySummary]
    n_stories: int


class OutletPage(_Model):
    name: str
    articles: int
    reports: int = Field(0, description="its articles with the copies of one report counted once")
    stories: int
    shared_stories: int
    alone_stories: int
    unique_findings: int
    sourcing: dict[SourceKind, int] = Field(description="its claims by ultimate source")
    recent: list[StorySummary]
    claims: int
    alone_share: float


class Snippet(_Model):
    start: int
    end: int
    text: str
    hits: list[tuple[int, int]] = Field(description="matching tokens as spans into the article's text")


class SearchResult(Article):
    story: str | None
    snippet: Snippet


class SearchPage(_Model):
    query: str
    keys: list[str] = Field(description="the matching keys the query was reduced to")
    results: list[SearchResult]
