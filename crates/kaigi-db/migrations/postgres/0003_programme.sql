-- The programme: sessions (from accepted proposals or created directly) placed in rooms and
-- times, their people, personal agendas, and the schedule version apps follow.
-- Kept in lock-step with ../sqlite/0003_programme.sql.

alter table editions add column schedule_version bigint not null default 0;

create table programme_sessions (
    id uuid primary key,
    edition_id uuid not null references editions (id),
    proposal_id uuid references proposals (id),
    number bigint not null,
    title text not null,
    kind text not null,
    description text not null,
    minutes bigint not null,
    audience bigint not null,
    needs text not null,
    track_id uuid references tracks (id),
    theme_id uuid references themes (id),
    room_id uuid references rooms (id),
    day date,
    starts_at text,
    pinned boolean not null,
    version bigint not null,
    created_at timestamptz not null,
    updated_at timestamptz not null
);
create index programme_sessions_edition on programme_sessions (edition_id);
create unique index programme_sessions_number on programme_sessions (edition_id, number);

create table programme_session_people (
    id uuid primary key,
    session_id uuid not null references programme_sessions (id),
    person_id uuid not null references people (id),
    role text not null,
    position bigint not null,
    created_at timestamptz not null,
    updated_at timestamptz not null
);
create index programme_session_people_session on programme_session_people (session_id);
create index programme_session_people_person on programme_session_people (person_id);

create table agenda_stars (
    id uuid primary key,
    user_id uuid not null references users (id),
    session_id uuid not null references programme_sessions (id),
    created_at timestamptz not null,
    updated_at timestamptz not null
);
create unique index agenda_stars_unique on agenda_stars (user_id, session_id);
