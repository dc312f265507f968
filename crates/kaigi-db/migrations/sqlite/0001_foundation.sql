-- kaigi foundation: directory, accounts, sessions, audit log, outbox, editions, committees.
-- Kept in lock-step with ../postgres/0001_foundation.sql (a test compares the two schemas).

create table settings (
    key text primary key,
    value text not null,
    created_at text not null,
    updated_at text not null
);

create table organisations (
    id blob primary key,
    name text not null,
    stakeholder_group text,
    country text,
    created_at text not null,
    updated_at text not null
);
create unique index organisations_name on organisations (name);

create table people (
    id blob primary key,
    display_name text not null,
    reading text,
    romanized text,
    sort_key blob not null,
    email text,
    stakeholder_group text,
    un_region text,
    country text,
    gender text,
    youth integer not null default 0,
    merged_into blob references people (id),
    version integer not null default 1,
    created_at text not null,
    updated_at text not null
);
create index people_sort_key on people (sort_key);
create index people_email on people (email);

create table affiliations (
    id blob primary key,
    person_id blob not null references people (id),
    organisation_id blob not null references organisations (id),
    title text,
    since text,
    until text,
    created_at text not null,
    updated_at text not null
);
create index affiliations_person on affiliations (person_id);

create table users (
    id blob primary key,
    email text not null,
    display_name text not null,
    password_hash text,
    person_id blob references people (id),
    language text,
    active integer not null default 1,
    created_at text not null,
    updated_at text not null
);
create unique index users_email on users (email);

create table role_grants (
    id blob primary key,
    user_id blob not null references users (id),
    role text not null,
    scope_kind text not null,
    scope_id text not null,
    created_at text not null,
    updated_at text not null
);
create unique index role_grants_unique on role_grants (user_id, role, scope_kind, scope_id);

create table invitations (
    id blob primary key,
    email text not null,
    token_hash text not null,
    role text not null,
    scope_kind text not null,
    scope_id text not null,
    invited_by blob references users (id),
    expires_at text not null,
    accepted_at text,
    created_at text not null,
    updated_at text not null
);
create unique index invitations_token on invitations (token_hash);

create table password_resets (
    id blob primary key,
    user_id blob not null references users (id),
    token_hash text not null,
    expires_at text not null,
    used_at text,
    created_at text not null,
    updated_at text not null
);
create unique index password_resets_token on password_resets (token_hash);

create table web_sessions (
    id blob primary key,
    token_hash text not null,
    user_id blob not null references users (id),
    expires_at text not null,
    created_at text not null,
    updated_at text not null
);
create unique index web_sessions_token on web_sessions (token_hash);

create table login_attempts (
    id blob primary key,
    attempt_key text not null,
    succeeded integer not null,
    created_at text not null,
    updated_at text not null
);
create index login_attempts_key on login_attempts (attempt_key, created_at);

create table audit_log (
    id blob primary key,
    actor_user_id blob references users (id),
    actor_label text not null,
    entity text not null,
    entity_id text not null,
    action text not null,
    before_json text,
    after_json text,
    created_at text not null,
    updated_at text not null
);
create index audit_log_entity on audit_log (entity, entity_id);
create index audit_log_created on audit_log (created_at);

create table outbox (
    id blob primary key,
    to_address text not null,
    subject text not null,
    body text not null,
    sent_at text,
    last_error text,
    attempts integer not null default 0,
    created_at text not null,
    updated_at text not null
);

create table editions (
    id blob primary key,
    slug text not null,
    name text not null,
    name_ja text,
    timezone text not null,
    venue text,
    starts_on text not null,
    ends_on text not null,
    created_at text not null,
    updated_at text not null
);
create unique index editions_slug on editions (slug);

create table edition_days (
    id blob primary key,
    edition_id blob not null references editions (id),
    label text not null,
    day text not null,
    starts_at text not null,
    ends_at text not null,
    created_at text not null,
    updated_at text not null
);

create table rooms (
    id blob primary key,
    edition_id blob not null references editions (id),
    name text not null,
    capacity integer not null,
    features text not null,
    position integer not null,
    created_at text not null,
    updated_at text not null
);

create table tracks (
    id blob primary key,
    edition_id blob not null references editions (id),
    name text not null,
    name_ja text,
    position integer not null,
    created_at text not null,
    updated_at text not null
);

create table themes (
    id blob primary key,
    edition_id blob not null references editions (id),
    name text not null,
    name_ja text,
    position integer not null,
    created_at text not null,
    updated_at text not null
);

create table proposals (
    id blob primary key,
    edition_id blob not null references editions (id),
    title text not null,
    session_type text not null,
    theme_id blob references themes (id),
    track_id blob references tracks (id),
    description text not null,
    status text not null,
    version integer not null default 1,
    created_at text not null,
    updated_at text not null
);
create index proposals_edition on proposals (edition_id);

create table proposal_people (
    id blob primary key,
    proposal_id blob not null references proposals (id),
    person_id blob not null references people (id),
    role text not null,
    onsite integer not null,
    confirmed integer not null,
    position integer not null,
    created_at text not null,
    updated_at text not null
);
create unique index proposal_people_unique on proposal_people (proposal_id, person_id, role);
create index proposal_people_person on proposal_people (person_id);

create table committees (
    id blob primary key,
    name text not null,
    name_en text,
    created_at text not null,
    updated_at text not null
);

create table committee_members (
    id blob primary key,
    committee_id blob not null references committees (id),
    person_id blob not null references people (id),
    created_at text not null,
    updated_at text not null
);
create unique index committee_members_unique on committee_members (committee_id, person_id);

create table meeting_series (
    id blob primary key,
    committee_id blob not null references committees (id),
    name text not null,
    created_at text not null,
    updated_at text not null
);

create table meetings (
    id blob primary key,
    series_id blob not null references meeting_series (id),
    number integer not null,
    held_on text not null,
    starts_at text not null,
    ends_at text not null,
    venue_kind text not null,
    venue_text text,
    created_at text not null,
    updated_at text not null
);
create unique index meetings_number on meetings (series_id, number);
