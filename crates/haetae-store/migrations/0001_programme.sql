-- The programme's records. Portable SQL: the same file runs on SQLite and PostgreSQL.
-- Times are BIGINT unix seconds; booleans are BIGINT 0/1; ids are text (UUIDv7, time-ordered).

CREATE TABLE tiers (
    name TEXT PRIMARY KEY,
    rank BIGINT NOT NULL UNIQUE,
    description TEXT NOT NULL
);

CREATE TABLE organisations (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    country TEXT NOT NULL,
    sector TEXT NOT NULL,
    vetting_state TEXT NOT NULL,
    tier TEXT NOT NULL REFERENCES tiers(name),
    vetting_expires_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE vetting_evidence (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organisations(id),
    reviewer TEXT NOT NULL,
    checked TEXT NOT NULL,
    decision TEXT NOT NULL,
    notes TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX vetting_evidence_org ON vetting_evidence(org_id, id);

CREATE TABLE members (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organisations(id),
    identity TEXT NOT NULL,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL,
    identity_verified BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (org_id, identity)
);

CREATE TABLE api_keys (
    id TEXT PRIMARY KEY,
    member_id TEXT NOT NULL REFERENCES members(id),
    org_id TEXT NOT NULL REFERENCES organisations(id),
    secret_hash TEXT NOT NULL,
    label TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT,
    revoked_at BIGINT
);
CREATE INDEX api_keys_org ON api_keys(org_id, id);

CREATE TABLE admin_keys (
    id TEXT PRIMARY KEY,
    secret_hash TEXT NOT NULL,
    label TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT
);

CREATE TABLE models (
    name TEXT PRIMARY KEY,
    backend TEXT NOT NULL,
    upstream_model TEXT NOT NULL,
    min_tier TEXT NOT NULL REFERENCES tiers(name),
    description TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
