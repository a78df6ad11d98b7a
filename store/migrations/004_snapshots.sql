-- Frozen figures ("Chốt số liệu"): an admin copies the figures in force as of a day under a name, so a meeting
-- brief or a dashboard view of that snapshot never changes after later corrections. Times are Vietnam local time.

CREATE SEQUENCE snapshots_id START 1;
CREATE TABLE snapshots (
    id BIGINT PRIMARY KEY DEFAULT nextval('snapshots_id'),
    commune VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    as_of DATE NOT NULL,             -- the cut-off day the admin chose ("số liệu chốt đến ngày")
    cutoff TIMESTAMP NOT NULL,       -- the moment whose versions in force were copied: the end of as_of, or the freeze
    created_by VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL,
    latest_upload_at TIMESTAMP       -- the newest upload among those copied (NULL: nothing was in force)
);

-- Which upload was in force for each key at the cut-off: the live current_reports, frozen. Uploads and their
-- observations are never changed, so rows behind a frozen figure stay traceable to their file, sheet and row.
CREATE TABLE snapshot_keys (
    snapshot_id BIGINT NOT NULL,
    kind VARCHAR NOT NULL,
    unit VARCHAR NOT NULL,
    period VARCHAR NOT NULL,
    indicator VARCHAR NOT NULL,
    upload_id BIGINT NOT NULL,
    PRIMARY KEY (snapshot_id, kind, unit, period, indicator)
);

-- The figures themselves, copied as Store.monthly() gives them (summed per indicator × month × village × breakdown).
CREATE TABLE snapshot_monthly (
    snapshot_id BIGINT NOT NULL,
    indicator VARCHAR NOT NULL,
    period VARCHAR NOT NULL,
    village VARCHAR,
    dim VARCHAR NOT NULL,
    dim_value VARCHAR NOT NULL,
    value DOUBLE NOT NULL,
    denominator DOUBLE,
    rows INTEGER NOT NULL
);

-- The phase targets in force at the freeze (the catalogue's, or an admin's), so statuses stay frozen too.
CREATE TABLE snapshot_targets (
    snapshot_id BIGINT NOT NULL,
    indicator VARCHAR NOT NULL,
    phase VARCHAR NOT NULL,
    value DOUBLE NOT NULL,
    source VARCHAR NOT NULL,
    PRIMARY KEY (snapshot_id, indicator, phase)
);
