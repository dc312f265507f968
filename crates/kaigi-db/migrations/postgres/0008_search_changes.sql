-- What the search index reads, counted per table by triggers in the same transaction as the
-- write: an instance rebuilds its index when the sum moves. Unlike row counts and update
-- times, this cannot be fooled by a clock that is ahead, by a restore, or by an update that
-- keeps a row's time stamp. Derived state: not in backups (kaigi_db::schema::NOT_BACKED_UP).
-- Sixteen counters per table, one picked at random by each write, so concurrent writers
-- (a registration rush creating people) rarely wait on the same row; the sum is what counts.
create table search_changes (
    source text not null,
    shard integer not null,
    changes bigint not null,
    primary key (source, shard)
);
with sources (source) as (values
    ('agenda_items'),
    ('minutes_revisions'),
    ('meetings'),
    ('people'),
    ('affiliations'),
    ('organisations'),
    ('proposals'),
    ('editions'),
    ('themes'),
    ('action_items'),
    ('action_item_owners'),
    ('meeting_series'),
    ('committees')),
shards (shard) as (values (0), (1), (2), (3), (4), (5), (6), (7), (8), (9), (10), (11), (12), (13), (14), (15))
insert into search_changes (source, shard, changes) select source, shard, 0 from sources cross join shards;

create function search_changed() returns trigger language plpgsql as $$
declare
    -- Drawn once: random() in the where clause would be drawn anew for every row.
    pick integer := floor(random() * 16)::integer;
begin
    update search_changes set changes = changes + 1 where source = tg_table_name and shard = pick;
    return null;
end
$$;

create trigger search_changed after insert or delete or update on agenda_items
    for each statement execute function search_changed();

create trigger search_changed after insert or delete or update on minutes_revisions
    for each statement execute function search_changed();

create trigger search_changed after insert or delete or update of held_on, number, published, series_id on meetings
    for each statement execute function search_changed();

create trigger search_changed after insert or delete or update of display_name, reading, romanized, merged_into on people
    for each statement execute function search_changed();

create trigger search_changed after insert or delete or update on affiliations
    for each statement execute function search_changed();

create trigger search_changed after insert or delete or update of name on organisations
    for each statement execute function search_changed();

create trigger search_changed after insert or delete or update of title, description, session_type, edition_id, theme_id on proposals
    for each statement execute function search_changed();

create trigger search_changed after insert or delete or update of slug on editions
    for each statement execute function search_changed();

create trigger search_changed after insert or delete or update of name, name_ja on themes
    for each statement execute function search_changed();

create trigger search_changed after insert or delete or update of text, due, series_id, origin_meeting_id on action_items
    for each statement execute function search_changed();

create trigger search_changed after insert or delete or update on action_item_owners
    for each statement execute function search_changed();

create trigger search_changed after insert or delete or update of name, committee_id on meeting_series
    for each statement execute function search_changed();

create trigger search_changed after insert or delete or update on committees
    for each statement execute function search_changed();
