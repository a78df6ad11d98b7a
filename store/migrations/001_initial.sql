-- Uploads with their original bytes, the figures read from them, which version is in force, and the audit log.
-- Periods are VARCHAR 'YYYY-MM' everywhere: they sort as months and match the loaders and the catalogue.
-- Times (uploaded_at, at, since) are Vietnam local time (UTC+7, no daylight saving), stored as naive TIMESTAMP.

CREATE TABLE meta (
    key VARCHAR PRIMARY KEY,
    value BIGINT NOT NULL
);
-- Bumped by every write transaction so the app can tell cheaply that its cached frames are stale.
INSERT INTO meta VALUES ('data_version', 0);

CREATE TABLE files (
    sha256 VARCHAR PRIMARY KEY,
    size BIGINT NOT NULL,
    bytes BLOB NOT NULL
);

CREATE SEQUENCE uploads_id START 1;
CREATE TABLE uploads (
    id BIGINT PRIMARY KEY DEFAULT nextval('uploads_id'),
    commune VARCHAR NOT NULL,
    file_name VARCHAR NOT NULL,      -- as the user gave it, for display only
    sha256 VARCHAR NOT NULL,         -- files.sha256
    size BIGINT NOT NULL,
    content_sha256 VARCHAR NOT NULL, -- of what was read: same bytes read under another catalogue may differ
    kind VARCHAR NOT NULL,
    unit VARCHAR NOT NULL,           -- '' when the report names no unit
    periods VARCHAR[] NOT NULL,
    indicators VARCHAR[] NOT NULL,
    sheets VARCHAR[] NOT NULL,
    rows INTEGER NOT NULL,           -- observations read
    register_rows INTEGER NOT NULL,  -- register items read
    title VARCHAR NOT NULL,
    signed_on DATE,
    uploaded_by VARCHAR NOT NULL,
    uploaded_at TIMESTAMP NOT NULL,
    warnings JSON NOT NULL           -- [{"sheet","row","column","message"}]
);

CREATE TABLE observations (
    upload_id BIGINT NOT NULL,
    commune VARCHAR NOT NULL,
    indicator VARCHAR NOT NULL,
    period VARCHAR NOT NULL,
    village VARCHAR,                 -- NULL: the row is not a village (a field, a unit, the commune)
    dim VARCHAR NOT NULL,            -- '' when the row has no breakdown
    dim_value VARCHAR NOT NULL,
    value DOUBLE NOT NULL,           -- the count, or a ratio's numerator
    denominator DOUBLE,              -- a ratio's denominator, else NULL
    sheet VARCHAR NOT NULL,
    "row" INTEGER NOT NULL           -- 1-based spreadsheet row; 0 for a figure the sheet implies (an empty register)
);

CREATE TABLE register_items (
    upload_id BIGINT NOT NULL,
    name VARCHAR NOT NULL,
    owner VARCHAR NOT NULL,
    village VARCHAR,
    certificate VARCHAR NOT NULL,
    stars INTEGER,
    decision VARCHAR NOT NULL,
    issued DATE,
    expires DATE,
    expiry_derived BOOLEAN NOT NULL,
    area_ha DOUBLE,
    sheet VARCHAR NOT NULL,
    "row" INTEGER NOT NULL
);

-- The version in force for each key. indicator '' keys a register upload as a whole.
CREATE TABLE current_reports (
    commune VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    unit VARCHAR NOT NULL,
    period VARCHAR NOT NULL,
    indicator VARCHAR NOT NULL,
    upload_id BIGINT NOT NULL,
    since TIMESTAMP NOT NULL,
    PRIMARY KEY (commune, kind, unit, period, indicator)
);

CREATE SEQUENCE audit_log_id START 1;
CREATE TABLE audit_log (
    id BIGINT PRIMARY KEY DEFAULT nextval('audit_log_id'),
    "at" TIMESTAMP NOT NULL,
    who VARCHAR NOT NULL,
    action VARCHAR NOT NULL,         -- import | replace | restore | reject
    upload_id BIGINT,
    detail JSON NOT NULL
);
