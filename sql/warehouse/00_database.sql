-- Demo warehouse: database (mirrors the user's `livepeer_analytics`, see spec/warehouse.md).
-- Deviation from production: TTL clauses are omitted so replayed historical fixtures are never
-- expired by background merges; everything else (names, columns, types, engines, keys) matches.
CREATE DATABASE IF NOT EXISTS livepeer_analytics;
