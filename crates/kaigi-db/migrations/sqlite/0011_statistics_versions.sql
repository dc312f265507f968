-- Participation figures in published versions: the public page, its CSV and the API show the
-- latest figures the secretariat published (kaigi_core::participation::Figures as JSON, all
-- counts; small groups are hidden when shown), never the live count of registrations.
create table statistics_versions (
    id blob primary key,
    edition_id blob not null references editions (id),
    number integer not null,
    published_by text not null,
    figures text not null,
    created_at text not null,
    updated_at text not null
);
create unique index statistics_versions_number on statistics_versions (edition_id, number);

-- The public search indexes the latest published figures of each edition.
with shards (shard) as (values (0), (1), (2), (3), (4), (5), (6), (7), (8), (9), (10), (11), (12), (13), (14), (15))
insert into search_changes (source, shard, changes) select 'statistics_versions', shard, 0 from shards;

create trigger search_statistics_versions_insert after insert on statistics_versions begin
    update search_changes set changes = changes + 1 where source = 'statistics_versions' and shard = (select abs(random()) % 16);
end;

create trigger search_statistics_versions_delete after delete on statistics_versions begin
    update search_changes set changes = changes + 1 where source = 'statistics_versions' and shard = (select abs(random()) % 16);
end;
