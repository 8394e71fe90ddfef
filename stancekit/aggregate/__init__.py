"""Aggregation: per-document and cross-document stance profiles, views, exports, plots and reports.

Everything here works on results already computed (Documents or the quotes.jsonl that
`stancekit score` writes) and never runs a model. matplotlib, networkx and pyyaml are imported
only by the functions that need them (`pip install stancekit[viz]`).

Example:
    >>> from stancekit.aggregate import profile, write_report   # doctest: +SKIP
    >>> prof = profile("out/quotes.jsonl", min_quotes=2)          # doctest: +SKIP
    >>> prof.plot.heatmap()                                       # doctest: +SKIP
    >>> write_report("out/quotes.jsonl", "report.html")           # doctest: +SKIP
"""
from stancekit.aggregate.actors import merge_names, resolve_actors
from stancekit.aggregate.document import document_profiles
from stancekit.aggregate.export import export_profiles, read_profiles, statements, to_gexf, to_graphml, write_profiles
from stancekit.aggregate.frames import quotes_frame, read_documents, sentiment_frame
from stancekit.aggregate.gazetteer import Gazetteer, Person, Role, load_gazetteer
from stancekit.aggregate.networks import actor_target_graph, congruence_graph, sentiment_graph
from stancekit.aggregate.plots import plot_heatmap, plot_timeline
from stancekit.aggregate.profileframe import ProfileFrame
from stancekit.aggregate.profiles import profile
from stancekit.aggregate.report import write_report
from stancekit.aggregate.scoring import LABEL_THRESHOLD
from stancekit.aggregate.views import stance_by_outlet, stance_over_time

__all__ = [
    "LABEL_THRESHOLD",
    "Gazetteer",
    "Person",
    "ProfileFrame",
    "Role",
    "actor_target_graph",
    "congruence_graph",
    "document_profiles",
    "export_profiles",
    "load_gazetteer",
    "merge_names",
    "plot_heatmap",
    "plot_timeline",
    "profile",
    "quotes_frame",
    "read_documents",
    "read_profiles",
    "resolve_actors",
    "sentiment_frame",
    "sentiment_graph",
    "stance_by_outlet",
    "stance_over_time",
    "statements",
    "to_gexf",
    "to_graphml",
    "write_profiles",
    "write_report",
]
