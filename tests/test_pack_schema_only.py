"""Every bundled pack of ours on a schema-only warehouse (fresh chDB path, so a subprocess).

Contract (spec/packs.md b.0): every block runs without error; every TEST returns one row whose
first column is `failed_rows`; only the catalogue-listed TESTs fail.
"""

from __future__ import annotations

import pytest

from tests.conftest import run_in_subprocess
from tests.packs_support import (
    DRILLDOWN_PACKS,
    EMPTY_WAREHOUSE_FAILURES,
    OWN_QUERY_PACKS,
    OWN_TEST_PACKS,
    subprocess_code,
)

PARAMS = {"from_ts": "2026-02-25 16:00:00.000", "to_ts": "2026-02-25 23:00:00.000",
          "limit_per_scenario": 5, "sids": ["stream-x|req-y"]}


@pytest.fixture(scope="module")
def empty_results() -> dict:
    code = subprocess_code(f"""
        import tempfile
        from reportgen.demo.schema import apply_schema
        path = tempfile.mkdtemp(prefix="reportgen-schema-only-")
        rw = clickhouse_connect.get_client(dsn=f"chdb://{{path}}")
        apply_schema(rw)
        rw.close()
        ro = clickhouse_connect.get_client(dsn=f"chdb://{{path}}", settings={{"readonly": 2}})
        suites = {OWN_TEST_PACKS + OWN_QUERY_PACKS + DRILLDOWN_PACKS!r}
        result = {{suite: run_suite(ro, suite, {PARAMS!r}) for suite in suites}}
        ro.close()
        shutil.rmtree(path, ignore_errors=True)
    """)
    return run_in_subprocess(code)


def test_every_block_runs_without_error(empty_results: dict) -> None:
    errors = {f"{suite}.{name}": r["error"] for suite, blocks in empty_results.items()
              for name, r in blocks.items() if r["error"]}
    assert errors == {}


def test_tests_return_failed_rows_first(empty_results: dict) -> None:
    for suite in OWN_TEST_PACKS:
        for name, r in empty_results[suite].items():
            assert r["rows"] == 1, f"{suite}.{name} returned {r['rows']} rows"
            assert r["columns"][0] == "failed_rows", f"{suite}.{name}: first column {r['columns'][0]}"


def test_only_catalogue_listed_tests_fail(empty_results: dict) -> None:
    failing = {f"{suite}.{name}" for suite in OWN_TEST_PACKS
               for name, r in empty_results[suite].items() if r["first"]["failed_rows"] != 0}
    assert failing == EMPTY_WAREHOUSE_FAILURES


def test_informational_tests_report_no_candidates(empty_results: dict) -> None:
    scenario = empty_results["assertions_scenario_candidates"]
    assert scenario["scenario_4_success_with_param_updates_exists"]["first"]["candidates"] == 0
    assert scenario["scenario_5_out_of_category_baseline_exists"]["first"]["candidates"] == 0
    estimate = empty_results["assertions_raw_typed"]["raw_typed_accepted_estimate_nonnegative"]["first"]
    assert estimate["total_raw_rows"] == 0
    assert empty_results["assertions_api_readiness"]["network_demand_low_sample_windows"]["first"]["rows_checked"] == 0


def test_queries_show_empty_layers(empty_results: dict) -> None:
    trace = empty_results["trace_pipeline_flow"]
    for block in ("01_raw_ingest", "02_typed_tables", "03_silver_projection_counts", "04_stateful_fact_counts"):
        assert trace[block]["rows"] >= 3
        assert all(row["rows_window"] == 0 for row in trace[block]["all"])
    assert trace["08_gpu_view_parity"]["first"]["failure_mode"] == "EMPTY_BOTH"
    assert trace["09_sla_view_parity"]["first"]["failure_mode"] == "EMPTY_BOTH"
    assert trace["10_network_demand_view_parity"]["first"]["failure_mode"] == "EMPTY_BOTH"
    assert all(r["rows"] == 0 for r in empty_results["scenario_candidates"].values())
    assert empty_results["notebook_schema_probes"]["describe_v_api_sla_compliance"]["rows"] > 10


def test_session_drilldown_on_unknown_session_is_empty(empty_results: dict) -> None:
    blocks = empty_results["session_drilldown"]
    assert blocks["diagnostics"]["rows"] == 1 and blocks["diagnostics"]["first"]["session_rows_all_versions"] == 0
    assert blocks["diagnostics"]["first"]["workflow_session_id"] == "stream-x|req-y"
    assert blocks["gpu_observed"]["rows"] == 1 and blocks["audit"]["rows"] == 1
    assert blocks["capability_correlation"]["rows"] == 0 and blocks["audit_layers"]["rows"] == 0
    assert blocks["timeline"]["rows"] == 0
    assert blocks["hourly_gpu_rows"]["rows"] == 0
