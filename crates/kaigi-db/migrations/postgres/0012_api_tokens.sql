-- Personal API tokens: programs act for a person through the JSON API with a token sent as
-- "Authorization: Bearer …". Only a hash of the token is kept (it is shown once, when made);
-- a token reads, or reads and writes, until it expires or its holder revokes it.
create table api_tokens (
    id uuid primary key,
    user_id uuid not null references users (id),
    name text not null,
    token_hash text not null,
    scope text not null,
    expires_at timestamptz not null,
    revoked_at timestamptz,
    last_used_at timestamptz,
    created_at timestamptz not null,
    updated_at timestamptz not null
);
create unique index api_tokens_token on api_tokens (token_hash);
create index api_tokens_user on api_tokens (user_id);
