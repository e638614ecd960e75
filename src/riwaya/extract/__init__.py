"""Extractors: stages that add annotations (entities, quotes, quantities, dates, cues, claims)."""
