"""The report's view model: everything the templates show, computed once from the snapshot."""

from __future__ import annotations

import shlex
from collections.abc import Mapping, Sequence
from typing import Any

from reportgen.report import derived
from reportgen.report import guidance as g
from reportgen.report.charts import layer_counts_figure, sparsity_figure
from reportgen.report.format import anchor, fmt
from reportgen.report.lookup import (
    NOTEBOOK_COVERAGE,
    NOTEBOOK_KPI,
    NOTEBOOK_S5_COVERAGE,
    NOTEBOOK_SPARSITY,
    READINESS_DRILLDOWN_SUITE,
    SCHEMA_PROBES_SUITE,
    Lookup,
    check_anchor,
)
from reportgen.report.sessions import session_models
from reportgen.report.tables import Cell, DataTable, from_arrow, from_records, gt_html, key_value
from reportgen.snapshot import BlockRecord, RunSnapshot
from reportgen.verdicts import BAD, ERROR, FAIL, INFO, LEGEND, PASS, SKIP, STATUSES, WARN, counts, overall

NOT_PASSING = (FAIL, ERROR, WARN, SKIP)
SECTIONS = (
    ("header", "0", "Run"),
    ("summary", "1", "Executive summary"),
    ("harness", "2", "Harness artifacts review"),
    ("trace", "3", "Ordered pipeline trace"),
    ("assertions", "4", "Assertion suites"),
    ("drilldowns", "5", "Drill-downs"),
    ("scenarios", "6", "Scenario discovery"),
    ("sessions", "7", "Session explorer"),
    ("reproduce", "8", "Reproduce"),
)
TRACE_LAYER_BLOCKS = ("01_raw_ingest", "02_typed_tables", "03_silver_projection_counts",
                      "04_stateful_fact_counts", "06_rollup_population", "07_view_population")


def _block_view(lookup: Lookup, block: BlockRecord, table_id: str, limit: int = 200) -> dict[str, Any]:
    """One block shown as a check: verdict, diagnostics, result table, SQL for debugging."""
    diag_pairs = sorted(block.diagnostics.items()) if block.kind == "TEST" else []
    return {
        "block": block,
        "anchor": check_anchor(block),
        "bad": block.status in BAD,
        "problem": fmt(block.error or block.message or "", 2000),
        "diagnostics": key_value(f"{table_id}-diag", diag_pairs) if diag_pairs else None,
        "table": from_arrow(f"{table_id}-rows", lookup.table(block), limit=limit)
        if block.kind != "TEST" else None,
        "sql": block.sql if block.status in BAD else "",  # passing SQL stays in the pack file
        "duration": f"{block.duration_s:.3f} s",
    }


def _counts_row(blocks: Sequence[BlockRecord]) -> dict[str, Any]:
    statuses = [b.status for b in blocks]
    c = counts(statuses)
    return {"tests": len(blocks), "failures": c[FAIL], "warnings": c[WARN], "errors": c[ERROR],
            "status": overall(statuses) if blocks else INFO}


# ----------------------------------------------------------------------------------- sections


def header(snap: RunSnapshot) -> dict[str, Any]:
    m = snap.manifest
    window = m.get("window") or {}
    target = m.get("target") or {}
    versions = m.get("versions") or {}
    timings = m.get("timings") or {}
    kind = target.get("kind")
    local = target.get("local")
    if local is None:
        local = kind == "chdb" or str(target.get("host", "")) in ("localhost", "127.0.0.1", "::1")
    source = " ".join(p for p in (fmt(window.get("source")), fmt(window.get("detail"))) if p)
    packs = [{"suite": fmt(p.get("suite")), "path": fmt(p.get("path")), "sha": fmt(p.get("sha256"))[:12],
              "blocks": p.get("blocks")} for p in (m.get("packs") or []) + (m.get("drilldowns") or [])
             if isinstance(p, Mapping)]
    facts = [
        ("Run id", snap.run_id),
        ("Window (UTC)", f"{fmt(window.get('from_ts'))} → {fmt(window.get('to_ts'))}"),
        ("Window source", source or "unknown"),
        ("Target", fmt(target.get("description")) or "unknown"),
        ("Tool", f"reportgen {fmt(versions.get('reportgen'))}"),
        ("Engine", fmt(versions.get("engine")) or "unknown"),
        ("Run started", fmt(m.get("created_at"))),
        ("Run duration (collect)", f"{fmt(timings.get('collect_s'))} s"),
        ("Sessions explored", fmt(m.get("sessions"))),
        ("Limit per scenario", fmt((m.get("params") or {}).get("limit_per_scenario"))),
    ]
    return {
        "facts": key_value("header-facts", facts),
        "packs": from_records("header-packs", packs, ["suite", "blocks", "sha", "path"]),
        "remote_warning": (f"Target is not local: {fmt(target.get('description'))}. "
                           "Queries ran read-only against a remote ClickHouse.") if not local else "",
        "legend": [(s, LEGEND[s]) for s in (PASS, WARN, FAIL, ERROR, INFO, SKIP)],
        "window": f"{fmt(window.get('from_ts'))} → {fmt(window.get('to_ts'))}",
        "target": fmt(target.get("description")),
    }


def summary(snap: RunSnapshot, lookup: Lookup, head: Mapping[str, Any]) -> dict[str, Any]:
    phase1 = lookup.phase1
    verdict = overall(b.status for b in phase1)
    layer_rows = []
    layer_links = []
    known_suites = {suite for _, suite in g.LAYERS}
    layers = list(g.LAYERS) + [(s, s) for s in snap.suites("TEST") if s not in known_suites]
    for label, suite in layers:
        blocks = [b for b in lookup.suite(suite) if b.kind == "TEST"]
        row = _counts_row(blocks) if blocks else {"tests": 0, "failures": 0, "warnings": 0, "errors": 0,
                                                   "status": "not in this run"}
        layer_rows.append([label, row["tests"], row["failures"], row["warnings"], row["errors"],
                           row["status"], head["window"], head["target"]])
        layer_links.append({"label": label, "href": "#" + anchor("suite", suite), "status": row["status"],
                            "present": bool(blocks)})
    query_errors = [b for b in phase1 if b.kind != "TEST" and b.status == ERROR]
    non_passing = sorted(
        (b for b in phase1 if b.status in NOT_PASSING or b in query_errors),
        key=lambda b: (STATUSES.index(b.status) if b.status in STATUSES else 9, b.seq),
    )
    non_passing_view = [{"block": b, "anchor": check_anchor(b),
                         "why": fmt(b.error or b.message or (f"failed_rows={b.failed_rows}"
                                                              if b.failed_rows else b.advisory or ""), 200)}
                        for b in non_passing]
    scenario_counts = [{"name": b.name, "rows": b.row_count, "status": b.status, "anchor": check_anchor(b)}
                       for b in lookup.suite(g.SCENARIO_SUITE)]
    kpi_block = lookup.get(*NOTEBOOK_KPI) or lookup.get(g.TRACE_SUITE, "05_reliability_and_swap_summary")
    kpis = lookup.first(kpi_block)
    all_counts = counts(b.status for b in phase1)
    return {
        "verdict": verdict,
        "counts": [(s, all_counts[s]) for s in STATUSES if all_counts[s]],
        "layers_html": gt_html("summary-layers", ["layer", "tests", "failures", "warnings", "errors",
                                                  "status", "window_utc", "db_target"], layer_rows),
        "layer_links": layer_links,
        "non_passing": non_passing_view,
        "scenarios": scenario_counts,
        "kpis": key_value("summary-kpis", list(kpis.items())) if kpis else None,
        "kpi_source": f"{kpi_block.suite}.{kpi_block.name}" if kpi_block and kpis else "",
    }


def harness(snap: RunSnapshot) -> dict[str, Any]:
    data = snap.manifest.get("harness")
    if not isinstance(data, Mapping):
        return {"present": False}
    stages = [s for s in data.get("stages") or [] if isinstance(s, Mapping)]
    failures = [f for f in data.get("failures") or [] if isinstance(f, Mapping)]
    return {
        "present": True,
        "run_id": fmt(data.get("run_id")),
        "meta": key_value("harness-meta", sorted((data.get("meta") or {}).items())),
        "stages_html": gt_html("harness-stages", ["stage", "status", "duration_sec", "error"],
                               [[s.get("stage"), s.get("status"), s.get("duration_sec"), s.get("error")]
                                for s in stages]) if stages else None,
        "failures": from_records("harness-failures", failures,
                                 ["suite", "test_name", "failed_rows", "error", "diagnostics"]),
        "files": [fmt(f) for f in data.get("assertion_files") or []],
        "problems": [fmt(p) for p in data.get("problems") or []],
        "bad": any(str(s.get("status")) == FAIL for s in stages) or bool(failures),
    }


def trace(snap: RunSnapshot, lookup: Lookup) -> dict[str, Any]:
    sections = []
    names = [b.name for b in lookup.suite(g.TRACE_SUITE)]
    ordered = [n for n in g.TRACE_ORDER if n in names] + [n for n in names if n not in g.TRACE_ORDER]
    missing = [n for n in g.TRACE_ORDER if n not in names]
    for name in ordered:
        block = lookup.get(g.TRACE_SUITE, name)
        assert block is not None
        view = _block_view(lookup, block, anchor("t", name))
        view["guidance"] = g.TRACE_SECTIONS.get(name, g.Guidance(name, "", ""))
        view["panels"] = []
        sections.append(view)
    panels = _trace_panels(lookup)
    for view in sections:
        view["panels"] = panels.get(view["block"].name, [])
        view["bad"] = view["bad"] or any(p.get("bad") for p in view["panels"])
    layers = []
    for name in TRACE_LAYER_BLOCKS:
        block = lookup.get(g.TRACE_SUITE, name)
        rows = lookup.rows(block)
        objects = [(fmt(r.get("object_name")), r.get("rows_window")) for r in rows if "object_name" in r]
        layers.append((g.TRACE_SECTIONS[name].title, objects))
    return {"sections": sections, "missing": missing, "intro": g.TRACE_INTRO,
            "layer_figure": layer_counts_figure(layers), "panels_without_block": [
                (n, p) for n, p in panels.items() if n not in names and p]}


def _trace_panels(lookup: Lookup) -> dict[str, list[dict[str, Any]]]:
    """Derived panels under 04, 05 and 06 (06 carries the 06-10 reconciliation)."""
    stateful, source = derived.stateful_checks(lookup)
    p04 = [{
        "title": "Stateful checks (comparable grains)",
        "note": "Comparable grains side by side with status flags, so unexpected session/segment "
                "mismatches stand out." + (f" Source: {source}." if source else ""),
        "table": from_records("t04-stateful", stateful,
                              ["check_name", "lhs", "rhs", "delta", "status", "expectation"])
        if stateful else None,
        "missing": not stateful,
        "bad": any(str(r.get("status")) in (FAIL, ERROR) for r in stateful),
    }]
    p04[0]["flag"] = FAIL if p04[0]["bad"] else ""
    versions = derived.session_versions(lookup)
    kpi_block = lookup.get(*NOTEBOOK_KPI)
    kpis = lookup.first(kpi_block) or lookup.first(lookup.get(g.TRACE_SUITE, "05_reliability_and_swap_summary"))
    mixed = versions["mixed"]
    per_version_block = versions["per_version_block"]
    p05 = [
        {"title": "Latest-session KPI summary",
         "note": "Uses latest-per-session rows to avoid versioning drift in totals.",
         "table": key_value("t05-kpi", list(kpis.items())) if kpis else None, "missing": not kpis},
        {"title": "Version diagnostics",
         "table": key_value("t05-versions", list(versions["version_diag"].items()))
         if versions["version_diag"] else None, "missing": versions["version_diag"] is None},
        {"title": "mixed_known_stream_versions",
         "note": g.MIXED_VERSIONS_NOTE if mixed and mixed["value"] else "",
         "table": from_records("t05-mixed", [mixed], ["check_name", "value", "regressive_sessions", "status",
                                                     "expectation"]) if mixed else None,
         "missing": mixed is None, "flag": mixed["status"] if mixed else ""},
        {"title": f"Per-version field diffs ({len(versions['diffs'])} version pairs, "
                  f"{versions['regressions']} regressions known_stream 1 → 0)",
         "note": versions["diff_source"],
         "table": from_records("t05-diffs", versions["diffs"],
                               ["workflow_session_id", "from_version", "to_version", "changed_fields", "status"],
                               limit=100)
         if versions["diff_source"] else None,
         "missing": not versions["diff_source"], "flag": WARN if versions["regressions"] else "",
         "open": bool(versions["regressions"])},
        {"title": f"Per-version rows ({versions['per_version_total']} rows)", "debug": True,
         "table": from_arrow("t05-per-version", lookup.table(per_version_block), limit=50)
         if per_version_block is not None else None, "missing": per_version_block is None},
    ]
    recon = derived.reconciliation(lookup)
    verdict_cols = ["test_name", "status", *g.VERDICT_COLUMNS, "note"]
    explain_rows = recon["explain_rows"]
    explain_cols = ["test_name", "status", "failed_rows"]
    for row in explain_rows:
        for key in row:
            if key not in explain_cols and key != "block":
                explain_cols.append(key)
    p06 = [
        {"title": "06-10 grain map",
         "note": "Rollups and views are not 1:1 with raw/stateful counts; validate them by "
                 "grain-aligned parity checks sourced from the assertion SQL.",
         "table": from_records("t06-grain", [dict(zip(("section", "object", "grain", "validation_source"), r,
                                                      strict=True)) for r in g.GRAIN_MAP])},
        {"title": "06-10 reconciliation verdict (assertion-sourced)",
         "table": from_records("t06-verdict", recon["verdict_rows"], verdict_cols),
         "links": [(r["test_name"], check_anchor(r["block"])) for r in recon["rows"] if r["block"]],
         "bad": recon["auto_open"], "flag": FAIL if recon["auto_open"] else ""},
        {"title": "06-10 explainability (assertion-sourced)",
         "table": from_records("t06-explain", explain_rows, explain_cols), "bad": recon["auto_open"]},
        {"title": "06-09 debug details", "debug": True, "open": recon["auto_open"],
         "note": "Opened automatically because a reconciliation check failed." if recon["auto_open"]
         else "Hidden while every reconciliation check passes; the debug toggle opens it.",
         "table": from_records("t06-debug", [{k: v for k, v in r.items() if k != "block"}
                                             for r in recon["rows"]])},
    ]
    if recon["missing"]:
        p06[1]["note"] = f"Not in this run: {', '.join(recon['missing'])}."
    return {"04_stateful_fact_counts": p04, "05_reliability_and_swap_summary": p05,
            "06_rollup_population": p06}


def assertion_suites(snap: RunSnapshot, lookup: Lookup) -> list[dict[str, Any]]:
    suites = []
    order = [s for _, s in g.LAYERS] + [s for s in snap.suites("TEST") if s not in {x for _, x in g.LAYERS}]
    for suite in order:
        blocks = [b for b in lookup.suite(suite) if b.kind == "TEST"]
        info = g.SUITE_GUIDANCE.get(suite, g.Guidance(suite, "", ""))
        if not blocks:
            suites.append({"suite": suite, "anchor": anchor("suite", suite), "guidance": info, "present": False})
            continue
        checks = [_block_view(lookup, b, anchor("c", suite, b.name)) for b in blocks]
        diag_cols: list[str] = []
        for b in blocks:
            for key in b.diagnostics:
                if key not in diag_cols:
                    diag_cols.append(key)
        records = [{"test_name": b.name, "status": b.status, "failed_rows": b.failed_rows,
                    "advisory": b.advisory, **b.diagnostics, "error": b.error or b.message} for b in blocks]
        overview = DataTable(
            anchor("ov", suite), ["test", "status", "failed_rows", "advisory status"],
            [[Cell(fmt(b.name), "", "#" + check_anchor(b)), Cell(b.status, f"st st-{b.status}"),
              Cell(fmt(b.failed_rows), "num"), Cell(fmt(b.advisory))] for b in blocks], len(blocks),
            search=[b.name for b in blocks])
        row = _counts_row(blocks)
        suites.append({
            "suite": suite, "anchor": anchor("suite", suite), "guidance": info, "present": True,
            "overview": overview, "checks": checks, "failing": [c for c in checks if c["bad"]],
            "all": from_records(anchor("all", suite), records,
                                ["test_name", "status", "failed_rows", "advisory", *diag_cols, "error"]),
            **row,
        })
    return suites


def drilldowns(snap: RunSnapshot, lookup: Lookup) -> dict[str, Any]:
    api = lookup.suite(g.API_SUITE)
    failed = [b for b in api if b.status in BAD]
    readiness = []
    for test in failed:
        if test.name in g.SCHEMA_TESTS:
            continue
        drill = lookup.drilldown(test.name, READINESS_DRILLDOWN_SUITE) or lookup.drilldown(test.name)
        entry: dict[str, Any] = {"test": test, "anchor": anchor("readiness", test.name),
                                 "check_anchor": check_anchor(test), "drill": drill}
        if drill is not None:
            entry["view"] = _block_view(lookup, drill, anchor("rd", test.name), limit=50)
        readiness.append(entry)
    schema_tests = [b for b in api if b.name in g.SCHEMA_TESTS]
    schema_failed = [b for b in schema_tests if b.status in BAD]
    describe_views: list[str] = []
    for test in schema_failed:
        for view in g.SCHEMA_TESTS[test.name]:
            if view not in describe_views:
                describe_views.append(view)
    describes = []
    for view in describe_views:
        block = lookup.get(SCHEMA_PROBES_SUITE, f"describe_{view}")
        describes.append({"view": view, "view_model": _block_view(lookup, block, anchor("describe", view))
                          if block else None})
    schema_records = [{"test_name": b.name, "status": b.status, "failed_rows": b.failed_rows, **b.diagnostics}
                      for b in schema_tests]
    projection = [lookup.get(g.PIPELINE_SUITE, t) for t in g.PROJECTION_TESTS]
    projection_records = [{"test_name": b.name, "status": b.status, "failed_rows": b.failed_rows,
                           **b.diagnostics} for b in projection if b is not None]
    other = []  # drill-downs of the user's own packs: named after a failed TEST of another suite
    used = {e["drill"].block_id for e in readiness if e["drill"] is not None}
    for block in lookup.phase2:
        if block.sid is not None or block.block_id in used:
            continue
        tests = [b for b in lookup.phase1 if b.name == block.name and b.kind == "TEST"]
        test = tests[0] if tests else None
        other.append({"drill": block, "test": test, "check_anchor": check_anchor(test) if test else "",
                      "view": _block_view(lookup, block, anchor("od", block.suite, block.name), limit=50)})
    coverage_block = lookup.get(*NOTEBOOK_COVERAGE)
    sparsity_block = lookup.get(*NOTEBOOK_SPARSITY)
    sparsity_rows = lookup.rows(sparsity_block, 2000)
    return {
        "readiness": readiness,
        "readiness_failed": len(failed),
        "other": other,
        "api_present": bool(api),
        "schema": from_records("schema-tests", schema_records) if schema_records else None,
        "schema_bad": bool(schema_failed),
        "describes": describes,
        "projection": from_records("projection-tests", projection_records) if projection_records else None,
        "projection_bad": any(b is not None and b.status in BAD for b in projection),
        "coverage": _block_view(lookup, coverage_block, "coverage-profile") if coverage_block else None,
        "sparsity": _block_view(lookup, sparsity_block, "status-sparsity") if sparsity_block else None,
        "sparsity_figure": sparsity_figure(sparsity_rows),
    }


def scenarios(snap: RunSnapshot, lookup: Lookup) -> dict[str, Any]:
    blocks = lookup.suite(g.SCENARIO_SUITE)
    items = []
    for block in blocks:
        review = g.SCENARIO_REVIEW.get(block.name, ("Validate scenario row integrity.", ""))
        view = _block_view(lookup, block, anchor("sc", block.name), limit=50)
        view["goal"], view["validate"] = review
        items.append(view)
    fall = derived.fallout(lookup)
    fallout_view = None
    if fall is not None:
        fallout_view = {
            "summary": key_value("fallout-counts", [
                ("sessions in window (latest per id)", fall["sessions_in_window"]),
                ("primary classified ids (scenarios 1–4 candidates)", fall["primary_ids"]),
                ("fallout sessions (outside scenarios 1–4)", fall["coverage"]["fallout_total_sessions"]),
            ]),
            "coverage": from_records("scenario5-coverage", [fall["coverage"]]),
            "fallout": from_arrow("fallout-rows", fall["fallout"], columns=fall["columns"], limit=25),
            "residual": from_arrow("residual-fallout-table", fall["residual"], columns=fall["columns"], limit=25),
            "outside": [fmt(s) for s in fall["s5_outside_fallout"]],
        }
    pack_cov = lookup.get(*NOTEBOOK_S5_COVERAGE)
    assertions = [b for b in lookup.suite(g.SCENARIO_TEST_SUITE) if b.kind == "TEST"]
    return {
        "items": items,
        "guardrails": g.SCENARIO_GUARDRAILS,
        "fallout": fallout_view,
        "pack_coverage": _block_view(lookup, pack_cov, "pack-s5-coverage") if pack_cov else None,
        "assertions": from_records("scenario-assertions-table", [
            {"test_name": b.name, "status": b.status, "failed_rows": b.failed_rows, **b.diagnostics}
            for b in assertions]) if assertions else None,
        "assertion_links": [(b.name, check_anchor(b), b.status) for b in assertions],
        "comparison": from_records("discovery-vs-assertion-table", derived.discovery_vs_assertions(lookup),
                                   ["scenario_name", "discovery_rows", "assertion_candidates",
                                    "assertion_status", "interpretation"]),
        "present": bool(blocks),
        "bad": any(b.status in BAD for b in (*blocks, *assertions)),
    }


KNOWN_QUERY_SUITES = frozenset({g.TRACE_SUITE, g.SCENARIO_SUITE, "notebook_stateful_checks",
                                "notebook_session_versions", "notebook_coverage_profile",
                                "notebook_scenario_fallout", SCHEMA_PROBES_SUITE})


def other_queries(lookup: Lookup) -> list[dict[str, Any]]:
    """QUERY blocks of suites the page has no dedicated place for (the user's own packs), and
    failed notebook blocks (so the summary's link to them has a target)."""
    return [_block_view(lookup, b, anchor("oq", b.suite, b.name)) for b in lookup.phase1
            if b.kind != "TEST" and (b.suite not in KNOWN_QUERY_SUITES or (
                b.status in BAD and b.suite not in (g.TRACE_SUITE, g.SCENARIO_SUITE)))]


def reproduce(snap: RunSnapshot) -> dict[str, Any]:
    m = snap.manifest
    window = m.get("window") or {}
    target = m.get("target") or {}
    params = m.get("params") or {}
    base = ["reportgen", "run"]
    if not target.get("demo"):
        if target.get("kind") == "chdb":
            base += ["--target", f"chdb://{fmt(target.get('path'))}"]
        elif target.get("host"):
            scheme = "https" if target.get("secure") else "http"
            user = f"{fmt(target.get('user'))}@" if target.get("user") else ""
            base += ["--target", f"{scheme}://{user}{fmt(target.get('host'))}:{fmt(target.get('port'))}/"
                                 f"{fmt(target.get('database'))}"]
    base += ["--from", fmt(window.get("from_ts")), "--to", fmt(window.get("to_ts"))]
    if params.get("limit_per_scenario") is not None:
        base += ["--limit-per-scenario", fmt(params.get("limit_per_scenario"))]
    run_id = snap.run_id
    commands = [
        ("Run again with the same window and target", shlex.join(base)),
        ("Re-render this report from the snapshot (no ClickHouse)", shlex.join(["reportgen", "render", run_id])),
        ("Compare with the previous run", shlex.join(["reportgen", "diff", "<previous-run-id>", run_id])),
    ]
    per_suite = []
    for pack in m.get("packs") or []:
        if isinstance(pack, Mapping) and pack.get("path"):
            per_suite.append((fmt(pack.get("suite")), shlex.join([*base, "--packs", fmt(pack.get("path"))])))
    return {"commands": commands, "per_suite": per_suite,
            "password_note": "Passwords are never stored: pass them with CH_PASSWORD."
            if target.get("kind") not in (None, "chdb") else ""}


# ----------------------------------------------------------------------------------- page


def build(snap: RunSnapshot, *, show_debug: bool = False) -> dict[str, Any]:
    lookup = Lookup(snap)
    head = header(snap)
    summ = summary(snap, lookup, head)
    tr = trace(snap, lookup)
    suites = assertion_suites(snap, lookup)
    drills = drilldowns(snap, lookup)
    scen = scenarios(snap, lookup)
    sessions = session_models(snap, lookup)
    har = harness(snap)
    section_bad = {
        "summary": summ["verdict"] in BAD,
        "harness": bool(har.get("bad")),
        "trace": any(s["bad"] for s in tr["sections"]),
        "assertions": any(s.get("failing") for s in suites),
        "drilldowns": bool(drills["readiness"]) or drills["schema_bad"] or drills["projection_bad"],
        "scenarios": scen["bad"],
        "sessions": any(s["errors"] for s in sessions),
    }
    nav = [{"id": sid, "number": num, "title": title, "bad": section_bad.get(sid, False)}
           for sid, num, title in SECTIONS]
    figures = []
    if tr["layer_figure"]:
        figures.append(("fig-layer-counts", tr["layer_figure"]))
    if drills["sparsity_figure"]:
        figures.append(("fig-status-sparsity", drills["sparsity_figure"]))
    return {
        "run_id": snap.run_id,
        "show_debug": show_debug,
        "nav": nav,
        "header": head,
        "summary": summ,
        "harness": har,
        "trace": tr,
        "suites": suites,
        "drill": drills,
        "scenarios": scen,
        "sessions": sessions,
        "session_limit": (snap.manifest.get("params") or {}).get("limit_per_scenario"),
        "reproduce": reproduce(snap),
        "other_queries": other_queries(lookup),
        "figures": figures,
    }
