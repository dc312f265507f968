-- Roundtables: invitation-only sessions at tables, seated by kaigi over one or more rounds,
-- with a rapporteur per table whose report is filed under a theme. Kept in lock-step with
-- ../postgres/0007_roundtables.sql.

create table roundtables (
    id blob primary key,
    edition_id blob not null references editions (id),
    name text not null,
    name_ja text,
    tables integer not null,
    seats integer not null,
    rounds integer not null,
    -- The themes tables report on: JSON [{"name": …, "name_ja": …}].
    themes text not null,
    version integer not null,
    created_at text not null,
    updated_at text not null
);
create index roundtables_edition on roundtables (edition_id);

create table roundtable_invitees (
    id blob primary key,
    roundtable_id blob not null references roundtables (id),
    person_id blob not null references people (id),
    -- A seat kept at this table (1-based) in every round: hosts, ministers.
    pinned_table integer,
    created_at text not null,
    updated_at text not null
);
create unique index roundtable_invitees_unique on roundtable_invitees (roundtable_id, person_id);

create table roundtable_seats (
    id blob primary key,
    roundtable_id blob not null references roundtables (id),
    round integer not null,
    table_number integer not null,
    person_id blob not null references people (id),
    rapporteur integer not null,
    created_at text not null,
    updated_at text not null
);
create unique index roundtable_seats_unique on roundtable_seats (roundtable_id, round, person_id);

create table roundtable_reports (
    id blob primary key,
    roundtable_id blob not null references roundtables (id),
    round integer not null,
    table_number integer not null,
    theme text not null,
    body text not null,
    author_user_id blob references users (id),
    version integer not null,
    created_at text not null,
    updated_at text not null
);
create unique index roundtable_reports_unique on roundtable_reports (roundtable_id, round, table_number);
