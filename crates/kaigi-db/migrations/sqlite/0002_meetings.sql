-- Standing meetings: agendas, minutes with revisions, action items, decisions, date polls,
-- external deadlines. Kept in lock-step with ../postgres/0002_meetings.sql.

alter table meetings add column timezone text not null default 'Asia/Tokyo';
alter table meetings add column venue_link text;
alter table meetings add column chair text;
alter table meetings add column minute_taker text;
alter table meetings add column stated_count integer;
alter table meetings add column minutes_state text not null default 'draft';
alter table meetings add column approved_at blob references meetings (id);
alter table meetings add column published integer not null default 0;
alter table meetings add column version integer not null default 1;

create table meeting_hosts (
    id blob primary key,
    meeting_id blob not null references meetings (id),
    name text not null,
    position integer not null,
    created_at text not null,
    updated_at text not null
);
create index meeting_hosts_meeting on meeting_hosts (meeting_id);

create table meeting_attendance (
    id blob primary key,
    meeting_id blob not null references meetings (id),
    person_id blob references people (id),
    family text not null,
    given text not null,
    affiliation text not null,
    position integer not null,
    created_at text not null,
    updated_at text not null
);
create index meeting_attendance_meeting on meeting_attendance (meeting_id);

create table meeting_materials (
    id blob primary key,
    meeting_id blob not null references meetings (id),
    title text not null,
    url text,
    file_name text,
    content_type text,
    content blob,
    position integer not null,
    created_at text not null,
    updated_at text not null
);
create index meeting_materials_meeting on meeting_materials (meeting_id);

create table agenda_items (
    id blob primary key,
    meeting_id blob not null references meetings (id),
    number text not null,
    title text not null,
    timebox_min integer,
    presenter text,
    recurring integer not null default 0,
    reached integer not null default 1,
    position integer not null,
    created_at text not null,
    updated_at text not null
);
create index agenda_items_meeting on agenda_items (meeting_id);

create table minutes_revisions (
    id blob primary key,
    agenda_item_id blob not null references agenda_items (id),
    revision integer not null,
    body text not null,
    author_user_id blob references users (id),
    author_label text not null,
    created_at text not null,
    updated_at text not null
);
create unique index minutes_revisions_unique on minutes_revisions (agenda_item_id, revision);

create table action_items (
    id blob primary key,
    series_id blob not null references meeting_series (id),
    origin_meeting_id blob not null references meetings (id),
    origin_item_id blob references agenda_items (id),
    text text not null,
    due text,
    status text not null,
    closed_at_meeting_id blob references meetings (id),
    version integer not null default 1,
    created_at text not null,
    updated_at text not null
);
create index action_items_series on action_items (series_id, status);

create table action_item_owners (
    id blob primary key,
    action_item_id blob not null references action_items (id),
    person_id blob references people (id),
    name text not null,
    position integer not null,
    created_at text not null,
    updated_at text not null
);
create index action_item_owners_item on action_item_owners (action_item_id);
create index action_item_owners_person on action_item_owners (person_id);

create table decisions (
    id blob primary key,
    meeting_id blob not null references meetings (id),
    agenda_item_id blob references agenda_items (id),
    text text not null,
    position integer not null,
    created_at text not null,
    updated_at text not null
);
create index decisions_meeting on decisions (meeting_id);

create table draft_agenda_items (
    id blob primary key,
    meeting_id blob not null references meetings (id),
    title text not null,
    position integer not null,
    created_at text not null,
    updated_at text not null
);

create table date_polls (
    id blob primary key,
    series_id blob not null references meeting_series (id),
    drafted_at_meeting_id blob references meetings (id),
    title text not null,
    key_person_id blob references people (id),
    starts_at text,
    ends_at text,
    status text not null,
    chosen_slot_id blob,
    created_meeting_id blob references meetings (id),
    created_at text not null,
    updated_at text not null
);

create table date_poll_slots (
    id blob primary key,
    poll_id blob not null references date_polls (id),
    day text not null,
    starts_at text not null,
    ends_at text not null,
    position integer not null,
    created_at text not null,
    updated_at text not null
);

create table date_poll_invitees (
    id blob primary key,
    poll_id blob not null references date_polls (id),
    person_id blob not null references people (id),
    token_hash text not null,
    created_at text not null,
    updated_at text not null
);
create unique index date_poll_invitees_token on date_poll_invitees (token_hash);
create unique index date_poll_invitees_unique on date_poll_invitees (poll_id, person_id);

create table date_poll_answers (
    id blob primary key,
    slot_id blob not null references date_poll_slots (id),
    person_id blob not null references people (id),
    answer text not null,
    created_at text not null,
    updated_at text not null
);
create unique index date_poll_answers_unique on date_poll_answers (slot_id, person_id);

create table external_deadlines (
    id blob primary key,
    series_id blob not null references meeting_series (id),
    title text not null,
    kind text not null,
    due_on text not null,
    url text,
    created_at text not null,
    updated_at text not null
);
