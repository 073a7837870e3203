-- notebook_schema_probes.sql — DESCRIBE of the four serving views (suite `notebook_schema_probes`).
--
-- How the report finds it: suite `notebook_schema_probes`, block `describe_<view name>`; rendered under
-- "Drill-downs → Serving schema sanity" when api_views_present or a *_required_columns_present test
-- fails (api_views_present → all four; network_demand_required_columns_present → v_api_network_demand;
-- network_demand_by_gpu_required_columns_present → v_api_network_demand_by_gpu;
-- sla_compliance_required_columns_present → v_api_sla_compliance).
-- No params. A missing view makes its block an ERROR (the error text is the diagnostic).
-- Output: DESCRIBE columns (name, type, default_type, default_expression, comment, codec_expression, ttl_expression).

-- QUERY: describe_v_api_gpu_metrics
-- Column names and types of v_api_gpu_metrics.
DESCRIBE TABLE livepeer_analytics.v_api_gpu_metrics;

-- QUERY: describe_v_api_network_demand
-- Column names and types of v_api_network_demand.
DESCRIBE TABLE livepeer_analytics.v_api_network_demand;

-- QUERY: describe_v_api_network_demand_by_gpu
-- Column names and types of v_api_network_demand_by_gpu.
DESCRIBE TABLE livepeer_analytics.v_api_network_demand_by_gpu;

-- QUERY: describe_v_api_sla_compliance
-- Column names and types of v_api_sla_compliance.
DESCRIBE TABLE livepeer_analytics.v_api_sla_compliance;
