-- The programme in published versions: what the public sees is the latest version, frozen when
-- the secretariat published it (the programme as JSON, kaigi_core::publishing::Programme), with
-- the changes since the version before. The sessions' `published` flag now says "in the latest
-- version"; editions whose sessions were published before this get their version 1 from kaigi
-- (programme::adopt_earlier_publications) the first time it starts.
create table programme_versions (
    id blob primary key,
    edition_id blob not null references editions (id),
    number integer not null,
    published_by text not null,
    note text not null,
    note_ja text not null,
    programme text not null,
    changes text not null,
    created_at text not null,
    updated_at text not null
);
create unique index programme_versions_number on programme_versions (edition_id, number);

-- The public search indexes the latest published version of each programme.
with shards (shard) as (values (0), (1), (2), (3), (4), (5), (6), (7), (8), (9), (10), (11), (12), (13), (14), (15))
insert into search_changes (source, shard, changes) select 'programme_versions', shard, 0 from shards;

create trigger search_programme_versions_insert after insert on programme_versions begin
    update search_changes set changes = changes + 1 where source = 'programme_versions' and shard = (select abs(random()) % 16);
end;

create trigger search_programme_versions_delete after delete on programme_versions begin
    update search_changes set changes = changes + 1 where source = 'programme_versions' and shard = (select abs(random()) % 16);
end;
