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
