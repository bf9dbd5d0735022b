-- API tokens. Only a SHA-256 hash of each token is stored; the token itself is shown once, at creation.
CREATE TABLE api_token (
  id           uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
  subject      text        NOT NULL CHECK (length(subject) BETWEEN 1 AND 200),
  roles        text[]      NOT NULL CHECK (cardinality(roles) > 0),
  token_hash   bytea       NOT NULL UNIQUE,
  token_prefix text        NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  created_by   text        NOT NULL,
  expires_at   timestamptz,
  revoked_at   timestamptz
);
