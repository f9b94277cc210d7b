"""Analysis: signed actor graph, sides and stances, change over time, plots and exports.

Input everywhere is a list of event record dicts in the CONTRACT §2 format.
"""
from __future__ import annotations

from .graph import ActorKey, SignedGraph, actor_key, baseline_signs, build_graph
from .sides import baseline_report, compute_sides, report_from_graph, sides_report
from .timeline import match_sides, sides_over_time, stance_flips, stance_series, timeline_report

__all__ = [
    "ActorKey", "SignedGraph", "actor_key", "baseline_report", "baseline_signs", "build_graph",
    "compute_sides", "match_sides", "report_from_graph", "sides_over_time", "sides_report",
    "stance_flips", "stance_series", "timeline_report",
]
