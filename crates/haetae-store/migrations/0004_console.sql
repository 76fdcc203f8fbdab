-- The console's sign-in: the people who use it (operators, and owners of member organisations), their passkeys,
-- and the one-time links that enrol a passkey. Portable SQL as in 0001. No secret is stored: a passkey is a public
-- key (webauthn-rs's record as JSON, with its signature counter), and a link is kept as the SHA-256 of its token.

CREATE TABLE console_users (
    -- A UUID, which is also the WebAuthn user handle the authenticator keeps.
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    -- operator | owner
    role TEXT NOT NULL,
    -- For an owner: the member they are and the organisation they own; never set for an operator.
    member_id TEXT REFERENCES members(id),
    org_id TEXT REFERENCES organisations(id),
    created_at BIGINT NOT NULL,
    disabled_at BIGINT
);

CREATE TABLE console_passkeys (
    -- The credential id, base64url.
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES console_users(id),
    passkey TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT,
    revoked_at BIGINT
);
CREATE INDEX console_passkeys_user ON console_passkeys(user_id);

CREATE TABLE console_enrolments (
    token_hash TEXT PRIMARY KEY,
    role TEXT NOT NULL,
    name TEXT NOT NULL,
    member_id TEXT REFERENCES members(id),
    org_id TEXT REFERENCES organisations(id),
    -- Who issued the link: `haetae up`, or the operator's console name.
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
