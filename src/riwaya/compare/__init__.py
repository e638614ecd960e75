"""Across documents: similarity, story grouping, stance and findings."""

from riwaya.compare.compare import compare_analyses as compare_analyses
