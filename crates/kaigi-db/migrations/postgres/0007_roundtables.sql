-- Roundtables: invitation-only sessions at tables, seated by kaigi over one or more rounds,
-- with a rapporteur per table whose report is filed under a theme. Kept in lock-step with
-- ../sqlite/0007_roundtables.sql.

create table roundtables (
    id uuid primary key,
    edition_id uuid not null references editions (id),
    name text not null,
    name_ja text,
    tables bigint not null,
    seats bigint not null,
    rounds bigint not null,
    -- The themes tables report on: JSON [{"name": …, "name_ja": …}].
    themes text not null,
    version bigint not null,
    created_at timestamptz not null,
    updated_at timestamptz not null
);
create index roundtables_edition on roundtables (edition_id);

create table roundtable_invitees (
    id uuid primary key,
    roundtable_id uuid not null references roundtables (id),
    person_id uuid not null references people (id),
    -- A seat kept at this table (1-based) in every round: hosts, ministers.
    pinned_table bigint,
    created_at timestamptz not null,
    updated_at timestamptz not null
);
create unique index roundtable_invitees_unique on roundtable_invitees (roundtable_id, person_id);

create table roundtable_seats (
    id uuid primary key,
    roundtable_id uuid not null references roundtables (id),
    round bigint not null,
    table_number bigint not null,
    person_id uuid not null references people (id),
    rapporteur boolean not null,
    created_at timestamptz not null,
    updated_at timestamptz not null
);
create unique index roundtable_seats_unique on roundtable_seats (roundtable_id, round, person_id);

create table roundtable_reports (
    id uuid primary key,
    roundtable_id uuid not null references roundtables (id),
    round bigint not null,
    table_number bigint not null,
    theme text not null,
    body text not null,
    author_user_id uuid references users (id),
    version bigint not null,
    created_at timestamptz not null,
    updated_at timestamptz not null
);
create unique index roundtable_reports_unique on roundtable_reports (roundtable_id, round, table_number);
