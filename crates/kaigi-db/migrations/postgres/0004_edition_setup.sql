-- Edition setup: breaks per day, room availability, and a setup version for optimistic
-- concurrency. Kept in lock-step with ../sqlite/0004_edition_setup.sql.

alter table editions add column setup_version bigint not null default 0;

-- Every stored edition had the IGF's lunch hour as a fixed break until now: keep it.
alter table edition_days add column breaks text not null default '';
update edition_days set breaks = '13:00-14:00';

-- A room with no rows here is available the whole of every day; with rows, only then.
create table room_availability (
    id uuid primary key,
    room_id uuid not null references rooms (id),
    day date not null,
    starts_at text not null,
    ends_at text not null,
    created_at timestamptz not null,
    updated_at timestamptz not null
);
create index room_availability_room on room_availability (room_id);
