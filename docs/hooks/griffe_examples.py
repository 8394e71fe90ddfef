"""griffe extension for the API reference: read "Example:" sections as "Examples:".

stancekit's docstrings use the singular heading (Google style allows both); griffe only parses the
plural one as doctest examples, rendering the singular one as plain prose.
"""
from __future__ import annotations

import re

import griffe

SINGULAR = re.compile(r"^(\s*)Example:\s*$", re.M)


class ExampleSections(griffe.Extension):
    def on_instance(self, *, obj: griffe.Object, **kwargs) -> None:
        if obj.docstring is not None:
            obj.docstring.value = SINGULAR.sub(r"\1Examples:", obj.docstring.value)
