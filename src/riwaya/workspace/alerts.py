"""Alerts: a followed story, or a story naming a followed entity, gains a contradiction or a figure.

Each alert carries the story, the finding, its evidence and the articles it rests on. It is
remembered in the store (raised once), appended to a JSON Lines log and optionally POSTed to a
webhook. The store remembers it with the sinks still to reach before it is sent, so an alert a
failing sink (an unwritable log, a webhook answering 5xx) missed, or one a killed run never sent,
is sent again by the next run (:meth:`Alerts.retry`): alerts may arrive twice, never not at all.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from riwaya.model import Analysis, Article, StoryComparison, to_dict
from riwaya.store.base import Store
from riwaya.workspace.views import ALERT_KINDS

log = logging.getLogger("riwaya.alerts")


def _name_key(name: str) -> str:
    from riwaya.text.normalize import key

    return " ".join(key(w) for w in name.split())


class Alerts:
    """Where alerts go: a JSON Lines file and/or a webhook URL."""

    def __init__(self, log_path: str | Path | None = None, webhook: str | None = None, timeout: float = 10.0):
        self.log_path = Path(log_path) if log_path else None
        self.webhook = webhook
        self.timeout = timeout
        self.sent = 0  # alerts that reached every sink
        self.failed = 0  # alerts raised in this process that some sink missed

    def matches(self, store: Store, story: str) -> list[str]:
        """Why a story is followed: ``story:ID`` and ``entity:NAME`` reasons (empty: not followed)."""
        follows = store.follows()
        if not follows:
            return []
        reasons = [f"story:{t}" for k, t in follows if k == "story" and t == story]
        wanted = {t: _name_key(t) for k, t in follows if k == "entity"}
        if wanted:
            named = store.story_entities(story)
            ids = {e for e, _ in named}
            keys = {_name_key(text) for _, text in named}
            reasons += [f"entity:{t}" for t, k in wanted.items() if t in ids or k in keys]
        return reasons

    def check(
        self,
        store: Store,
        story: str,
        comparison: StoryComparison,
        articles: Sequence[Article | Analysis],
        new: set[str],
        fingerprints: dict[str, str],
    ) -> list[dict[str, Any]]:
        """Raise an alert for each new contradiction or figure of a followed story."""
        fresh = [f for f in comparison.findings if f.kind in ALERT_KINDS and fingerprints.get(f.id) in new]
        if not fresh:
            return []
        reasons = self.matches(store, story)
        if not reasons:
            return []
        by_id = {a.id: a for a in (x.article if isinstance(x, Analysis) else x for x in articles)}
        raised = []
        for f in fresh:
            sources = []
            for art_id in dict.fromkeys([*f.articles, *(e.article for e in f.evidence)]):
                art = by_id.get(art_id)
                if art:
                    sources.append(
                        {
                            "article": art.id,
                            "outlet": art.outlet,
                            "title": art.title,
                            "url": art.url,
                            "published": art.published.isoformat() if art.published else None,
                        }
                    )
            alert = {
                "time": datetime.now(UTC).isoformat(timespec="seconds"),
                "story": story,
                "story_label": comparison.story.label,
                "followed": reasons,
                "kind": f.kind,
                "explanation_ar": f.explanation_ar,
                "explanation_en": f.explanation_en,
                "confidence": f.confidence,
                "status": f.status,
                "evidence": [{**to_dict(e), "outlet": outlet_of_id(by_id, e.article)} for e in f.evidence],
                "sources": sources,
            }
            alert_id = store.record_alert(story, fingerprints[f.id], alert, self.sinks())
            if alert_id is not None:  # remembered before it is sent: a failed send is retried
                left = self.emit(alert)
                store.alert_sent(alert_id, left)
                self.failed += bool(left)
                raised.append(alert)
        return raised

    def sinks(self) -> list[str]:
        """Where alerts go: ``log``, ``webhook``."""
        return [name for name, on in (("log", self.log_path), ("webhook", self.webhook)) if on]

    def retry(self, store: Store) -> tuple[int, int]:
        """Send again the alerts some sink missed (as configured now); return how many reached
        every sink they were still due to, and how many are still pending."""
        sent = left = 0
        for alert_id, alert, pending in store.pending_alerts():
            due = [s for s in pending if s in self.sinks()]
            if not due:
                left += 1
                continue
            failed = self.emit(alert, due)
            store.alert_sent(alert_id, [s for s in pending if s not in due or s in failed])
            if failed:
                left += 1
            else:
                sent += 1
        return sent, left

    def emit(self, alert: dict[str, Any], sinks: list[str] | None = None) -> list[str]:
        """Send one alert to ``sinks`` (default: all); return those that failed (each logged)."""
        failed = []
        sinks = self.sinks() if sinks is None else sinks
        if "log" in sinks and self.log_path:
            line = json.dumps(alert, ensure_ascii=False) + "\n"
            try:
                with open(self.log_path, "a", encoding="utf-8") as f:
                    f.write(line)
                    f.flush()
                    os.fsync(f.fileno())
            except OSError as exc:
                log.warning("%s: cannot write the alert log (%s); the alert will be sent again",
                            self.log_path, exc.strerror or exc)
                failed.append("log")
        if "webhook" in sinks and self.webhook:
            import httpx

            from riwaya.ingest.fetch import user_agent

            try:
                # only the status matters: the body is not read, so a webhook trickling one
                # cannot hold the ingest
                with httpx.stream("POST", self.webhook, json=alert, timeout=self.timeout,
                                  headers={"User-Agent": user_agent()}) as r:
                    r.raise_for_status()
            except httpx.HTTPError as exc:
                reason = (f"HTTP {exc.response.status_code} {exc.response.reason_phrase}".strip()
                          if isinstance(exc, httpx.HTTPStatusError)
                          else (str(exc).splitlines() or [type(exc).__name__])[0])
                log.warning("%s: webhook failed (%s); the alert will be sent again", self.webhook, reason)
                failed.append("webhook")
        if not failed:
            self.sent += 1
        return failed


def outlet_of_id(by_id: dict, article_id: str) -> str | None:
    art = by_id.get(article_id)
    return art.outlet if art else None


__all__ = ["Alerts"]
