-- The programme: sessions (from accepted proposals or created directly) placed in rooms and
-- times, their people, personal agendas, and the schedule version apps follow.
-- Kept in lock-step with ../postgres/0003_programme.sql.

alter table editions add column schedule_version integer not null default 0;

create table programme_sessions (
    id blob primary key,
    edition_id blob not null references editions (id),
    proposal_id blob references proposals (id),
    number integer not null,
    title text not null,
    kind text not null,
    description text not null,
    minutes integer not null,
    audience integer not null,
    needs text not null,
    track_id blob references tracks (id),
    theme_id blob references themes (id),
    room_id blob references rooms (id),
    day text,
    starts_at text,
    pinned integer not null,
    version integer not null,
    created_at text not null,
    updated_at text not null
);
create index programme_sessions_edition on programme_sessions (edition_id);
create unique index programme_sessions_number on programme_sessions (edition_id, number);

create table programme_session_people (
    id blob primary key,
    session_id blob not null references programme_sessions (id),
    person_id blob not null references people (id),
    role text not null,
    position integer not null,
    created_at text not null,
    updated_at text not null
);
create index programme_session_people_session on programme_session_people (session_id);
create index programme_session_people_person on programme_session_people (person_id);

create table agenda_stars (
    id blob primary key,
    user_id blob not null references users (id),
    session_id blob not null references programme_sessions (id),
    created_at text not null,
    updated_at text not null
);
create unique index agenda_stars_unique on agenda_stars (user_id, session_id);
