"""Reading article collections and writing results."""
from stancekit.io.records import Record, RecordError, iter_records

__all__ = ["Record", "RecordError", "iter_records"]
