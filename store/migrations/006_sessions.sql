-- Sign-ins that survive a browser reload: the browser keeps a random token in a cookie, the database only the
-- token's SHA-256, so a copy of this file opens no session. A row ends at logout; before that it is invalid once
-- expired, once its account is gone, or once the account's password changed (generation). Times are Vietnam
-- local time, as elsewhere.

CREATE TABLE sessions (
    token_sha256 VARCHAR PRIMARY KEY,    -- hex SHA-256 of the cookie's token; the token itself is never stored
    name VARCHAR NOT NULL,               -- the account (no foreign key: removing an account deletes its rows)
    created_at TIMESTAMP NOT NULL,       -- the login
    expires_at TIMESTAMP NOT NULL,       -- created_at + 8 hours; rows past it are purged at the next login
    generation INTEGER NOT NULL          -- users.generation at the login
);
