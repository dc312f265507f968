-- Registration and participation: categories with onsite capacity, registrations with their
-- badge and check-in, sign-up for sessions with limited places, and past editions' published
-- figures. Kept in lock-step with ../sqlite/0006_registration.sql.

create table registration_categories (
    id uuid primary key,
    edition_id uuid not null references editions (id),
    code text not null,
    name text not null,
    name_ja text,
    -- Onsite places, null for no limit; online attendance is never limited.
    onsite_capacity bigint,
    -- Changed only by a conditional update, so concurrent registrations cannot overbook.
    onsite_taken bigint not null default 0,
    position bigint not null,
    created_at timestamptz not null,
    updated_at timestamptz not null
);
create unique index registration_categories_code on registration_categories (edition_id, code);

create table registrations (
    id uuid primary key,
    edition_id uuid not null references editions (id),
    user_id uuid not null references users (id),
    person_id uuid not null references people (id),
    category_id uuid not null references registration_categories (id),
    attendance text not null,
    first_time boolean not null,
    consent boolean not null,
    -- confirmed | cancelled
    status text not null,
    badge_code text not null,
    checked_in_at timestamptz,
    version bigint not null,
    created_at timestamptz not null,
    updated_at timestamptz not null
);
create unique index registrations_user on registrations (edition_id, user_id);
create unique index registrations_badge on registrations (badge_code);
-- The registration page counts each category's online registrations.
create index registrations_category on registrations (category_id, status, attendance);

-- Sessions with sign-up: places, and places taken (changed like onsite_taken).
alter table programme_sessions add column signup_capacity bigint;
alter table programme_sessions add column signup_taken bigint not null default 0;

create table session_signups (
    id uuid primary key,
    session_id uuid not null references programme_sessions (id),
    user_id uuid not null references users (id),
    created_at timestamptz not null,
    updated_at timestamptz not null
);
create unique index session_signups_unique on session_signups (session_id, user_id);

-- Figures of editions kaigi did not run, as published; dimension 'total' holds the total.
create table participation_aggregates (
    id uuid primary key,
    edition_key text not null,
    edition_name text not null,
    dimension text not null,
    category text not null,
    count bigint not null,
    created_at timestamptz not null,
    updated_at timestamptz not null
);
create unique index participation_aggregates_unique on participation_aggregates (edition_key, dimension, category);
