-- A person's agenda of an edition as a calendar feed that calendar apps subscribe to: the URL
-- carries a secret of its own (never an API token), only its hash is kept, and making a new one
-- or stopping the feed ends the old URL.
create table calendar_feeds (
    id uuid primary key,
    user_id uuid not null references users (id),
    edition_id uuid not null references editions (id),
    token_hash text not null,
    created_at timestamptz not null,
    updated_at timestamptz not null
);
create unique index calendar_feeds_token on calendar_feeds (token_hash);
create unique index calendar_feeds_owner on calendar_feeds (user_id, edition_id);
