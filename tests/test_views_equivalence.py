"""The FULL JOIN rewrites of v_api_network_demand / v_api_gpu_metrics return what the old views did.

`tests/fixtures_sql/views_before_speedup.sql` keeps the serving views as they were before the
speed-up (keyspace CTE + UNION DISTINCT + LEFT JOINs). A subprocess builds a private demo warehouse
(which gets the current views), creates the old definitions in a second database `old_views` that
reads the same `livepeer_analytics` tables, and compares old vs new: column names and types
(`DESCRIBE`), row counts and the ordered list of row hashes of `SELECT * ... ORDER BY ALL`, with
`join_use_nulls` 0 (default) and 1.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import demo_fixture_dir, run_in_subprocess

OLD_VIEWS_SQL = Path(__file__).resolve().parent / "fixtures_sql" / "views_before_speedup.sql"
REWRITTEN_VIEWS = ("v_api_network_demand", "v_api_gpu_metrics")

_FWS = "livepeer_analytics.fact_workflow_sessions"
_LAT = "livepeer_analytics.fact_workflow_latency_samples"
# Extra rows added to the private copy so that every FULL JOIN branch of v_api_gpu_metrics has
# rows: reliability-only, latency-only, reliability+latency without perf, and a session without GPU
# (filtered out by both forms). New session ids, so latest-version picking is unaffected.
EDGE_ROWS = [
    f"INSERT INTO {_FWS} SELECT * REPLACE ('eqv-s-r' AS workflow_session_id, 'eqv-gpu-r' AS gpu_id) "
    f"FROM {_FWS} WHERE orchestrator_address != '' ORDER BY workflow_session_id LIMIT 1",
    f"INSERT INTO {_FWS} SELECT * REPLACE ('eqv-s-nogpu' AS workflow_session_id, NULL AS gpu_id, "
    f"'eqv-orch-nogpu' AS orchestrator_address) FROM {_FWS} ORDER BY workflow_session_id LIMIT 1",
    f"INSERT INTO {_LAT} SELECT * REPLACE ('eqv-s-l' AS workflow_session_id, 'eqv-gpu-l' AS gpu_id) "
    f"FROM {_LAT} WHERE orchestrator_address != '' ORDER BY workflow_session_id LIMIT 1",
    f"INSERT INTO {_LAT} SELECT * REPLACE ('eqv-s-rl' AS workflow_session_id, 'eqv-gpu-rl' AS gpu_id) "
    f"FROM {_LAT} WHERE orchestrator_address != '' ORDER BY workflow_session_id DESC LIMIT 1",
    f"INSERT INTO {_FWS} SELECT s.* REPLACE ('eqv-s-rl' AS workflow_session_id, l.sample_ts AS session_start_ts, "
    f"l.orchestrator_address AS orchestrator_address, l.pipeline AS pipeline, l.model_id AS model_id, "
    f"'eqv-gpu-rl' AS gpu_id, l.region AS region) "
    f"FROM (SELECT * FROM {_FWS} ORDER BY workflow_session_id LIMIT 1) AS s "
    f"CROSS JOIN (SELECT sample_ts, orchestrator_address, pipeline, model_id, region FROM {_LAT} "
    f"WHERE workflow_session_id = 'eqv-s-rl') AS l",
]

_COMPARE_CODE = """
import hashlib
import clickhouse_connect
from reportgen.demo.builder import build_warehouse
from reportgen.demo.schema import split_statements
from reportgen.resources import warehouse_sql_dir

VIEWS = {views!r}
EDGE_ROWS = {edge_rows!r}
build_warehouse({fixture!r}, {data_dir!r})
client = clickhouse_connect.get_client(dsn="chdb://" + {data_dir!r})
for stmt in EDGE_ROWS:
    client.command(stmt)
client.command("CREATE DATABASE IF NOT EXISTS old_views")
created = []
bodies = {{}}  # (old|new, view) -> SELECT body, for the inline join_use_nulls=1 comparison
sources = (("old", open({old_sql!r}, encoding="utf-8").read()),
           ("new", (warehouse_sql_dir() / "70_views.sql").read_text(encoding="utf-8")))
for label, text in sources:
    for stmt in split_statements(text):
        for view in VIEWS:
            head = "CREATE OR REPLACE VIEW livepeer_analytics." + view + "\\nAS\\n"
            if stmt.lstrip().startswith(head):
                bodies[(label, view)] = "(" + stmt.lstrip()[len(head):].rstrip().rstrip(";") + ")"
                if label == "old":
                    client.command(stmt.replace(head, "CREATE OR REPLACE VIEW old_views." + view + "\\nAS\\n", 1))
                    created.append(view)

def describe(name, settings):
    return [list(r[:2]) for r in client.query("DESCRIBE TABLE " + name, settings=settings).result_rows]

def row_hashes(name, settings):
    table = client.query_arrow("SELECT * FROM " + name + " ORDER BY ALL", settings=settings)
    return [hashlib.sha256(repr(row).encode()).hexdigest()
            for row in zip(*(col.to_pylist() for col in table.columns))]

result = {{"created": created}}
for view, settings in ((v, {{"join_use_nulls": j}}) for v in VIEWS for j in (0, 1)):
    # A stored view's structure is fixed when it is created, so reading it with another
    # join_use_nulls fails (Code 80) for old and new alike; that case compares the bodies inline.
    if settings["join_use_nulls"] == 0:
        new_name, old_name = "livepeer_analytics." + view, "old_views." + view
    else:
        new_name, old_name = bodies[("new", view)], bodies[("old", view)]
    new_hashes, old_hashes = row_hashes(new_name, settings), row_hashes(old_name, settings)
    result[view + "/join_use_nulls=" + str(settings["join_use_nulls"])] = {{
        "new_describe": describe(new_name, settings), "old_describe": describe(old_name, settings),
        "new_rows": len(new_hashes), "old_rows": len(old_hashes),
        "first_mismatch": next((i for i, (a, b) in enumerate(zip(new_hashes, old_hashes)) if a != b), None),
        "digest_new": hashlib.sha256("".join(new_hashes).encode()).hexdigest(),
        "digest_old": hashlib.sha256("".join(old_hashes).encode()).hexdigest(),
    }}
# Coverage: rows that come from only one side of each FULL JOIN (their key columns must come from
# that side), so the comparison exercises every branch of the rewrite.
q = lambda sql: client.query(sql).result_rows[0][0]
result["coverage"] = {{
    "demand_only": q("SELECT count() FROM livepeer_analytics.v_api_network_demand WHERE total_minutes = 0"),
    "perf_only": q("SELECT count() FROM livepeer_analytics.v_api_network_demand "
                   "WHERE total_minutes > 0 AND known_sessions = 0 AND total_demand_sessions = 0"),
    "gpu_edge_rows": q("SELECT groupArray(tuple(ifNull(gpu_id, ''), known_sessions, valid_e2e_latency_count + "
                       "valid_startup_time_count + valid_prompt_to_first_frame_count)) FROM "
                       "(SELECT * FROM livepeer_analytics.v_api_gpu_metrics WHERE gpu_id LIKE 'eqv-%' ORDER BY gpu_id)"),
    "gpu_without_perf": q("SELECT count() FROM livepeer_analytics.v_api_gpu_metrics WHERE status_samples = 0"),
    "gpu_perf_only": q("SELECT count() FROM livepeer_analytics.v_api_gpu_metrics WHERE status_samples > 0 "
                       "AND known_sessions = 0 AND valid_startup_time_count = 0 "
                       "AND valid_prompt_to_first_frame_count = 0 AND valid_e2e_latency_count = 0"),
    # perf key-hours the view leaves out (terminal-tail artifacts): exercises the NOT IN branch
    "perf_keys_dropped": q("SELECT count() FROM (SELECT DISTINCT toDateTime(toStartOfHour(sample_ts), 'UTC') AS hour, "
                           "orchestrator_address, pipeline, ifNull(model_id, '') AS m, ifNull(gpu_id, '') AS g, "
                           "ifNull(region, '') AS r FROM livepeer_analytics.fact_stream_status_samples "
                           "WHERE is_attributed = 1 AND orchestrator_address != '' AND g != '')")
                         - q("SELECT count() FROM livepeer_analytics.v_api_gpu_metrics WHERE status_samples > 0"),
}}
client.close()
"""


@pytest.fixture(scope="module")
def comparison(tmp_path_factory) -> dict:
    data_dir = tmp_path_factory.mktemp("views_equivalence") / "chdb"
    code = _COMPARE_CODE.format(views=REWRITTEN_VIEWS, edge_rows=EDGE_ROWS, fixture=str(demo_fixture_dir()),
                                data_dir=str(data_dir), old_sql=str(OLD_VIEWS_SQL))
    return run_in_subprocess(code, timeout=600)


def test_old_definitions_were_created(comparison):
    assert sorted(comparison["created"]) == sorted(REWRITTEN_VIEWS)


# join_use_nulls=0 is the ClickHouse default; =1 checks that a server profile setting it does not
# make the FULL JOIN ... USING key columns Nullable (the old keyspace form kept them non-Nullable).
CASES = [f"{view}/join_use_nulls={j}" for view in REWRITTEN_VIEWS for j in (0, 1)]


@pytest.mark.parametrize("case", CASES)
def test_same_columns_and_types(comparison, case):
    cmp = comparison[case]
    assert cmp["new_describe"] == cmp["old_describe"]


@pytest.mark.parametrize("case", CASES)
def test_same_rows(comparison, case):
    cmp = comparison[case]
    assert cmp["old_rows"] > 0
    assert cmp["new_rows"] == cmp["old_rows"]
    assert cmp["first_mismatch"] is None
    assert cmp["digest_new"] == cmp["digest_old"]


def test_comparison_covers_one_sided_rows(comparison):
    """Rows that exist on only one side of a FULL JOIN are present, so key coalescing is tested."""
    cov = comparison["coverage"]
    assert cov["demand_only"] > 0 and cov["perf_only"] > 0, cov
    assert cov["gpu_perf_only"] > 0 and cov["perf_keys_dropped"] > 0, cov
    assert cov["gpu_without_perf"] >= 3, cov
    edge = {gpu: (known, latency) for gpu, known, latency in cov["gpu_edge_rows"]}
    assert sorted(edge) == ["eqv-gpu-l", "eqv-gpu-r", "eqv-gpu-rl"], cov
    assert edge["eqv-gpu-r"][0] > 0 and edge["eqv-gpu-l"][1] > 0, cov
    assert edge["eqv-gpu-rl"][0] > 0 and edge["eqv-gpu-rl"][1] > 0, cov
