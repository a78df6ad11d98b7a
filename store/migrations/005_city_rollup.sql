-- The city view's pre-aggregation: figures in force summed per commune, indicator and month.
-- Derived from observations and current_reports (never written by an import): store/city.py checks it when
-- meta.rollup_version differs from meta.data_version, and rebuilds it when the versions in force changed
-- (meta.rollup_keys, a fingerprint of current_reports: a login or an admin's setting bumps data_version too).
CREATE TABLE rollup_monthly (
    commune VARCHAR NOT NULL,
    indicator VARCHAR NOT NULL,
    period VARCHAR NOT NULL,
    month INTEGER NOT NULL,          -- months since year 0 (year × 12 + month − 1): consecutive months differ by 1
    value DOUBLE NOT NULL,           -- Σ counts, or Σ numerators
    denominator DOUBLE,              -- Σ denominators; NULL when no row carried one
    rows INTEGER NOT NULL
);
INSERT INTO meta VALUES ('rollup_version', -1), ('rollup_keys', -1);
