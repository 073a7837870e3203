"""The embedded demo warehouse: schema, fixture replay, reference pipeline, builder, faults.

Public entry points (imported lazily, so `import reportgen.demo` stays cheap):

- ``build_warehouse(fixture_dir, data_dir) -> BuildReport`` — build a chDB directory holding
  the ``livepeer_analytics`` demo warehouse from a harness-format fixture folder;
- ``layer_counts(client) -> {layer: {object: rows}}`` and ``format_counts(counts) -> str``;
- ``reportgen.demo.faults.inject(client, name)`` / ``inject_sql(...)`` — reversible faults;
- ``reportgen.demo.generator`` — the synthetic fixture generator.
"""

from __future__ import annotations

from typing import Any

_EXPORTS = {
    "build_warehouse": "reportgen.demo.builder",
    "BuildReport": "reportgen.demo.builder",
    "BuildError": "reportgen.demo.builder",
    "layer_counts": "reportgen.demo.builder",
    "format_counts": "reportgen.demo.builder",
    "content_fingerprint": "reportgen.demo.builder",
    "is_build_current": "reportgen.demo.builder",
    "apply_schema": "reportgen.demo.schema",
    "load_fixture": "reportgen.demo.loader",
    "FixtureError": "reportgen.demo.loader",
    "run_pipeline": "reportgen.demo.pipeline",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'reportgen.demo' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
