-- What the search index reads, counted per table by triggers in the same transaction as the
-- write: an instance rebuilds its index when the sum moves. Unlike row counts and update
-- times, this cannot be fooled by a clock that is ahead, by a restore, or by an update that
-- keeps a row's time stamp. Derived state: not in backups (kaigi_db::schema::NOT_BACKED_UP).
create table search_changes (
    source text primary key,
    changes bigint not null
);
insert into search_changes (source, changes) values
    ('agenda_items', 0),
    ('minutes_revisions', 0),
    ('meetings', 0),
    ('people', 0),
    ('affiliations', 0),
    ('organisations', 0),
    ('proposals', 0),
    ('editions', 0),
    ('themes', 0),
    ('action_items', 0),
    ('action_item_owners', 0),
    ('meeting_series', 0),
    ('committees', 0);

create function search_changed() returns trigger language plpgsql as $$
begin
    update search_changes set changes = changes + 1 where source = tg_table_name;
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
