-- Participation figures in published versions: the public page, its CSV and the API show the
-- latest figures the secretariat published (kaigi_core::participation::Figures as JSON, all
-- counts; small groups are hidden when shown), never the live count of registrations.
create table statistics_versions (
    id uuid primary key,
    edition_id uuid not null references editions (id),
    number bigint not null,
    published_by text not null,
    figures text not null,
    created_at timestamptz not null,
    updated_at timestamptz not null
);
create unique index statistics_versions_number on statistics_versions (edition_id, number);

-- The public search indexes the latest published figures of each edition.
insert into search_changes (source, shard, changes) select 'statistics_versions', shard, 0 from generate_series(0, 15) as shard;

create trigger search_changed after insert or delete on statistics_versions
    for each statement execute function search_changed();
