"""Read-only proof: a pack that tries to write gets ERROR verdicts and changes nothing.

The demo warehouse is built in a subprocess; a pack of INSERT, ALTER, DROP, TRUNCATE, CREATE and
`SET readonly = 0` runs against it through `reportgen run`; every table's row count and content
hash and every view's definition are compared before and after.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reportgen.snapshot import open_run
from tests.chdb_tools import reportgen
from tests.conftest import run_in_subprocess

WRITES = {
    "insert_raw": "INSERT INTO livepeer_analytics.streaming_events (id, type, timestamp, gateway, data) "
                  "VALUES ('evil', 'stream_trace', 1772000000000, 'g', '{}')",
    "insert_select": "INSERT INTO livepeer_analytics.fact_workflow_sessions SELECT * FROM "
                     "livepeer_analytics.fact_workflow_sessions",
    "alter_delete": "ALTER TABLE livepeer_analytics.fact_stream_status_samples DELETE WHERE 1",
    "alter_add_column": "ALTER TABLE livepeer_analytics.ai_stream_status ADD COLUMN evil UInt8",
    "drop_view": "DROP VIEW livepeer_analytics.v_api_gpu_metrics",
    "drop_table": "DROP TABLE livepeer_analytics.fact_workflow_sessions",
    "truncate": "TRUNCATE TABLE livepeer_analytics.streaming_events",
    "replace_view": "CREATE OR REPLACE VIEW livepeer_analytics.v_api_sla_compliance AS SELECT 1 AS x",
    "create_table": "CREATE TABLE livepeer_analytics.evil (x UInt8) ENGINE = Memory",
    "set_readonly_0": "SET readonly = 0",
    "settings_clause": "SELECT 0 AS failed_rows SETTINGS readonly = 0",
    "optimize_final": "OPTIMIZE TABLE livepeer_analytics.fact_workflow_sessions FINAL",
}

STATE = """
import clickhouse_connect
from reportgen.demo.builder import content_fingerprint
client = clickhouse_connect.get_client(dsn="chdb://{path}", settings={{"readonly": 2}})
tables = client.query(
    "SELECT name, engine, create_table_query FROM system.tables WHERE database = 'livepeer_analytics' ORDER BY name"
).result_rows
data = [n for n, engine, _ in tables if engine not in ("View", "MaterializedView")]
result = {{
    "objects": [[n, e, q] for n, e, q in tables],
    "content": content_fingerprint(client, data),
}}
client.close()
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("ro") / "wh"
    proc = reportgen("demo", "build", "--out", str(path))
    assert proc.returncode == 0, proc.stderr
    return path


def state(path: Path) -> dict:
    return run_in_subprocess(STATE.format(path=path))


def test_writes_are_errors_and_change_nothing(built, tmp_path):
    before = state(built)
    assert len(before["content"]) >= 25 and sum(c[0] for c in before["content"].values()) > 0
    pack = tmp_path / "writes.sql"
    pack.write_text("".join(f"-- TEST: {name}\n{sql}\n" for name, sql in WRITES.items()))
    proc = reportgen("run", "--target", f"chdb://{built}", "--packs", str(pack),
                     "--manifest", "fixtures/demo/manifest.json", "--artifacts", str(tmp_path),
                     "--run-id", "ro", "--drilldowns", str(pack), "-q",
                     cwd=Path(__file__).resolve().parent.parent)
    assert proc.returncode == 1, proc.stderr
    snap = open_run(tmp_path / "runs" / "ro")
    for name in WRITES:
        block = snap.find("writes", name)
        assert block.status == "ERROR", (name, block.status, block.error)
        # READONLY / ACCESS_DENIED; a bare SET cannot even be sent as a result-returning query
        allowed = (164, 497, 62) if name == "set_readonly_0" else (164, 497)
        assert block.error_code in allowed, (name, block.error)
    after = state(built)
    assert after == before
