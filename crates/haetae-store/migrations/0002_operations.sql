-- Operations on top of the programme: limits, engagements, review items and usage. Portable SQL as in 0001.
-- JSON documents are TEXT (both databases store and compare it the same way; nothing queries inside them).

ALTER TABLE tiers ADD COLUMN limits TEXT NOT NULL DEFAULT '{}';
ALTER TABLE organisations ADD COLUMN limits TEXT NOT NULL DEFAULT '{}';
ALTER TABLE api_keys ADD COLUMN limits TEXT NOT NULL DEFAULT '{}';

-- An authorised test of named targets, registered by an owner of the organisation.
CREATE TABLE engagements (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organisations(id),
    name TEXT NOT NULL,
    targets TEXT NOT NULL,
    valid_from BIGINT NOT NULL,
    valid_until BIGINT NOT NULL,
    registered_by TEXT NOT NULL REFERENCES members(id),
    created_at BIGINT NOT NULL,
    revoked_at BIGINT
);
CREATE INDEX engagements_org ON engagements(org_id, id);

-- Review items: the indexed columns plus the whole item (signals, history, resolution) as JSON. `version`
-- makes every transition a compare-and-set, so two reviewers can never both resolve an item.
CREATE TABLE review_items (
    id TEXT PRIMARY KEY,
    dedup_key TEXT NOT NULL,
    kind TEXT NOT NULL,
    state TEXT NOT NULL,
    severity TEXT NOT NULL,
    org_id TEXT NOT NULL,
    key_id TEXT,
    opened_at_ms BIGINT NOT NULL,
    version BIGINT NOT NULL,
    item TEXT NOT NULL
);
CREATE INDEX review_items_state ON review_items(state, id);
CREATE INDEX review_items_dedup ON review_items(dedup_key, state);

-- Usage per organisation, member, key, model, use-case and UTC day.
CREATE TABLE usage_daily (
    day TEXT NOT NULL,
    org_id TEXT NOT NULL,
    member_id TEXT NOT NULL,
    key_id TEXT NOT NULL,
    model TEXT NOT NULL,
    use_case TEXT NOT NULL,
    requests BIGINT NOT NULL,
    prompt_tokens BIGINT NOT NULL,
    completion_tokens BIGINT NOT NULL,
    PRIMARY KEY (day, org_id, member_id, key_id, model, use_case)
);

-- Administrative changes made outside the gateway (the CLI writes the store directly). The serving gateway,
-- which owns the ledger, drains these into it, so every change lands in the ledger even when made offline.
CREATE TABLE admin_outbox (
    id TEXT PRIMARY KEY,
    at_ms BIGINT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    detail TEXT NOT NULL
);
