"""Across documents: copies, stories, matters, one verdict per matter, notes and a summary."""

from riwaya.comparison.compare import compare_analyses, compare_story

__all__ = ["compare_analyses", "compare_story"]
