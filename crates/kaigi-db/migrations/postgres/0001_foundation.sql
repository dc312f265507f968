-- kaigi foundation: directory, accounts, sessions, audit log, outbox, editions, committees.
-- Kept in lock-step with ../sqlite/0001_foundation.sql (a test compares the two schemas).

create table settings (
    key text primary key,
    value text not null,
    created_at timestamptz not null,
    updated_at timestamptz not null
);

create table organisations (
    id uuid primary key,
    name text not null,
    stakeholder_group text,
    country text,
    created_at timestamptz not null,
    updated_at timestamptz not null
);
create unique index organisations_name on organisations (name);

create table people (
    id uuid primary key,
    display_name text not null,
    reading text,
    romanized text,
    sort_key bytea not null,
    email text,
    stakeholder_group text,
    un_region text,
    country text,
    gender text,
    youth boolean not null default false,
    merged_into uuid references people (id),
    version bigint not null default 1,
    created_at timestamptz not null,
    updated_at timestamptz not null
);
create index people_sort_key on people (sort_key);
create index people_email on people (email);

create table affiliations (
    id uuid primary key,
    person_id uuid not null references people (id),
    organisation_id uuid not null references organisations (id),
    title text,
    since date,
    until date,
    created_at timestamptz not null,
    updated_at timestamptz not null
);
create index affiliations_person on affiliations (person_id);

create table users (
    id uuid primary key,
    email text not null,
    display_name text not null,
    password_hash text,
    person_id uuid references people (id),
    language text,
    active boolean not null default true,
    created_at timestamptz not null,
    updated_at timestamptz not null
);
create unique index users_email on users (email);

create table role_grants (
    id uuid primary key,
    user_id uuid not null references users (id),
    role text not null,
    scope_kind text not null,
    scope_id text not null,
    created_at timestamptz not null,
    updated_at timestamptz not null
);
create unique index role_grants_unique on role_grants (user_id, role, scope_kind, scope_id);

create table invitations (
    id uuid primary key,
    email text not null,
    token_hash text not null,
    role text not null,
    scope_kind text not null,
    scope_id text not null,
    invited_by uuid references users (id),
    expires_at timestamptz not null,
    accepted_at timestamptz,
    created_at timestamptz not null,
    updated_at timestamptz not null
);
create unique index invitations_token on invitations (token_hash);

create table password_resets (
    id uuid primary key,
    user_id uuid not null references users (id),
    token_hash text not null,
    expires_at timestamptz not null,
    used_at timestamptz,
    created_at timestamptz not null,
    updated_at timestamptz not null
);
create unique index password_resets_token on password_resets (token_hash);

create table web_sessions (
    id uuid primary key,
    token_hash text not null,
    user_id uuid not null references users (id),
    expires_at timestamptz not null,
    created_at timestamptz not null,
    updated_at timestamptz not null
);
create unique index web_sessions_token on web_sessions (token_hash);

create table login_attempts (
    id uuid primary key,
    attempt_key text not null,
    succeeded boolean not null,
    created_at timestamptz not null,
    updated_at timestamptz not null
);
create index login_attempts_key on login_attempts (attempt_key, created_at);

create table audit_log (
    id uuid primary key,
    actor_user_id uuid references users (id),
    actor_label text not null,
    entity text not null,
    entity_id text not null,
    action text not null,
    before_json text,
    after_json text,
    created_at timestamptz not null,
    updated_at timestamptz not null
);
create index audit_log_entity on audit_log (entity, entity_id);
create index audit_log_created on audit_log (created_at);

create table outbox (
    id uuid primary key,
    to_address text not null,
    subject text not null,
    body text not null,
    sent_at timestamptz,
    last_error text,
    attempts bigint not null default 0,
    created_at timestamptz not null,
    updated_at timestamptz not null
);

create table editions (
    id uuid primary key,
    slug text not null,
    name text not null,
    name_ja text,
    timezone text not null,
    venue text,
    starts_on date not null,
    ends_on date not null,
    created_at timestamptz not null,
    updated_at timestamptz not null
);
create unique index editions_slug on editions (slug);

create table edition_days (
    id uuid primary key,
    edition_id uuid not null references editions (id),
    label text not null,
    day date not null,
    starts_at text not null,
    ends_at text not null,
    created_at timestamptz not null,
    updated_at timestamptz not null
);

create table rooms (
    id uuid primary key,
    edition_id uuid not null references editions (id),
    name text not null,
    capacity bigint not null,
    features text not null,
    position bigint not null,
    created_at timestamptz not null,
    updated_at timestamptz not null
);

create table tracks (
    id uuid primary key,
    edition_id uuid not null references editions (id),
    name text not null,
    name_ja text,
    position bigint not null,
    created_at timestamptz not null,
    updated_at timestamptz not null
);

create table themes (
    id uuid primary key,
    edition_id uuid not null references editions (id),
    name text not null,
    name_ja text,
    position bigint not null,
    created_at timestamptz not null,
    updated_at timestamptz not null
);

create table proposals (
    id uuid primary key,
    edition_id uuid not null references editions (id),
    title text not null,
    session_type text not null,
    theme_id uuid references themes (id),
    track_id uuid references tracks (id),
    description text not null,
    status text not null,
    version bigint not null default 1,
    created_at timestamptz not null,
    updated_at timestamptz not null
);
create index proposals_edition on proposals (edition_id);

create table proposal_people (
    id uuid primary key,
    proposal_id uuid not null references proposals (id),
    person_id uuid not null references people (id),
    role text not null,
    onsite boolean not null,
    confirmed boolean not null,
    position bigint not null,
    created_at timestamptz not null,
    updated_at timestamptz not null
);
create unique index proposal_people_unique on proposal_people (proposal_id, person_id, role);
create index proposal_people_person on proposal_people (person_id);

create table committees (
    id uuid primary key,
    name text not null,
    name_en text,
    created_at timestamptz not null,
    updated_at timestamptz not null
);

create table committee_members (
    id uuid primary key,
    committee_id uuid not null references committees (id),
    person_id uuid not null references people (id),
    created_at timestamptz not null,
    updated_at timestamptz not null
);
create unique index committee_members_unique on committee_members (committee_id, person_id);

create table meeting_series (
    id uuid primary key,
    committee_id uuid not null references committees (id),
    name text not null,
    created_at timestamptz not null,
    updated_at timestamptz not null
);

create table meetings (
    id uuid primary key,
    series_id uuid not null references meeting_series (id),
    number bigint not null,
    held_on date not null,
    starts_at text not null,
    ends_at text not null,
    venue_kind text not null,
    venue_text text,
    created_at timestamptz not null,
    updated_at timestamptz not null
);
create unique index meetings_number on meetings (series_id, number);
