-- The programme in published versions: what the public sees is the latest version, frozen when
-- the secretariat published it (the programme as JSON, kaigi_core::publishing::Programme), with
-- the changes since the version before. The sessions' `published` flag now says "in the latest
-- version"; editions whose sessions were published before this get their version 1 from kaigi
-- (programme::adopt_earlier_publications) the first time it starts.
create table programme_versions (
    id uuid primary key,
    edition_id uuid not null references editions (id),
    number bigint not null,
    published_by text not null,
    note text not null,
    note_ja text not null,
    programme text not null,
    changes text not null,
    created_at timestamptz not null,
    updated_at timestamptz not null
);
create unique index programme_versions_number on programme_versions (edition_id, number);

-- The public search indexes the latest published version of each programme.
insert into search_changes (source, shard, changes) select 'programme_versions', shard, 0 from generate_series(0, 15) as shard;

create trigger search_changed after insert or delete on programme_versions
    for each statement execute function search_changed();
