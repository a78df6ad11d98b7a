-- Accounts with per-unit rights, their failed-login counters, the admins' target overrides and app settings.
-- Password hashes only (argon2id); a password is never stored. Times are Vietnam local time, as elsewhere.

CREATE TABLE users (
    name VARCHAR PRIMARY KEY,            -- lower-case login name
    role VARCHAR NOT NULL CHECK (role IN ('admin', 'staff', 'viewer')),
    password_hash VARCHAR NOT NULL,
    generation INTEGER NOT NULL DEFAULT 0,   -- bumped by a password change: sessions started before it end
    failed_logins INTEGER NOT NULL DEFAULT 0,-- wrong passwords in a row since the last success or lock
    locked_until TIMESTAMP,              -- no login before this time
    last_login TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    created_by VARCHAR NOT NULL
);

-- The units whose reports a staff member may upload and restore (catalogue unit codes).
CREATE TABLE user_units (
    name VARCHAR NOT NULL,
    unit VARCHAR NOT NULL,
    PRIMARY KEY (name, unit)
);

-- A phase target set by an admin; the catalogue's target is the default when there is no row.
CREATE TABLE target_overrides (
    commune VARCHAR NOT NULL,
    indicator VARCHAR NOT NULL,
    phase VARCHAR NOT NULL,
    value DOUBLE NOT NULL,
    source VARCHAR NOT NULL,             -- where the figure comes from, e.g. a resolution's number
    set_by VARCHAR NOT NULL,
    set_at TIMESTAMP NOT NULL,
    PRIMARY KEY (commune, indicator, phase)
);

-- Settings an admin changes in the app, e.g. require_login = 'true'.
CREATE TABLE settings (
    key VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL,
    set_by VARCHAR NOT NULL,
    set_at TIMESTAMP NOT NULL
);
