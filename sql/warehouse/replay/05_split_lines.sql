-- Fixture replay step 1: split the staged session files (reportgen_stage.fixture_files: file_seq =
-- replay order of the file, file = path relative to the fixture folder, content = bytes) into
-- lines. seq (file_seq * 10^7 + line number) is the global replay order; blank lines are skipped.
DROP TABLE IF EXISTS reportgen_stage.fixture_lines;

CREATE TABLE reportgen_stage.fixture_lines
ENGINE = MergeTree ORDER BY seq
AS
SELECT
    toUInt64(file_seq) * 10000000 + line_no AS seq,
    file,
    toUInt32(line_no) AS line_no,
    trimRight(line, '\r') AS line
FROM (SELECT file_seq, file, splitByChar('\n', content) AS lines FROM reportgen_stage.fixture_files)
ARRAY JOIN lines AS line, arrayEnumerate(lines) AS line_no
WHERE trimBoth(line) != ''
SETTINGS max_block_size = 1024, min_insert_block_size_bytes = 67108864;  -- a row is a whole file: keep blocks small
