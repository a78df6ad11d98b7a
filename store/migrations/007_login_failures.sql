-- Failed logins as decaying counters, one row per key: "name:<login name>" (any name tried, existing or not, so
-- an unknown name is answered exactly like a real one), "client:<address>" (one browser or network address) and
-- "all" (every failure together). A score loses half its weight every half-life (ground/auth.py), so old
-- failures stop counting; `locked_until` is set on a name key when its score reaches the lockout. Replaces
-- users.failed_logins and users.locked_until, which are no longer read or written.

CREATE TABLE login_failures (
    "key" VARCHAR PRIMARY KEY,
    score DOUBLE NOT NULL,           -- the decayed number of failures as of last_at
    last_at TIMESTAMP NOT NULL,      -- the latest failure (Vietnam local time)
    locked_until TIMESTAMP           -- for a name key: refused from failing clients until then
);
