-- What the search index reads, counted per table by triggers in the same transaction as the
-- write: an instance rebuilds its index when the sum moves. Unlike row counts and update
-- times, this cannot be fooled by a clock that is ahead, by a restore, or by an update that
-- keeps a row's time stamp. Derived state: not in backups (kaigi_db::schema::NOT_BACKED_UP).
-- Sixteen counters per table, one picked at random by each write, so concurrent writers
-- (a registration rush creating people) rarely wait on the same row; the sum is what counts.
create table search_changes (
    source text not null,
    shard integer not null,
    changes integer not null,
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

create trigger search_agenda_items_insert after insert on agenda_items begin
    update search_changes set changes = changes + 1 where source = 'agenda_items' and shard = (select abs(random()) % 16);
end;

create trigger search_agenda_items_delete after delete on agenda_items begin
    update search_changes set changes = changes + 1 where source = 'agenda_items' and shard = (select abs(random()) % 16);
end;

create trigger search_agenda_items_update after update on agenda_items begin
    update search_changes set changes = changes + 1 where source = 'agenda_items' and shard = (select abs(random()) % 16);
end;

create trigger search_minutes_revisions_insert after insert on minutes_revisions begin
    update search_changes set changes = changes + 1 where source = 'minutes_revisions' and shard = (select abs(random()) % 16);
end;

create trigger search_minutes_revisions_delete after delete on minutes_revisions begin
    update search_changes set changes = changes + 1 where source = 'minutes_revisions' and shard = (select abs(random()) % 16);
end;

create trigger search_minutes_revisions_update after update on minutes_revisions begin
    update search_changes set changes = changes + 1 where source = 'minutes_revisions' and shard = (select abs(random()) % 16);
end;

create trigger search_meetings_insert after insert on meetings begin
    update search_changes set changes = changes + 1 where source = 'meetings' and shard = (select abs(random()) % 16);
end;

create trigger search_meetings_delete after delete on meetings begin
    update search_changes set changes = changes + 1 where source = 'meetings' and shard = (select abs(random()) % 16);
end;

create trigger search_meetings_update after update of held_on, number, published, series_id on meetings begin
    update search_changes set changes = changes + 1 where source = 'meetings' and shard = (select abs(random()) % 16);
end;

create trigger search_people_insert after insert on people begin
    update search_changes set changes = changes + 1 where source = 'people' and shard = (select abs(random()) % 16);
end;

create trigger search_people_delete after delete on people begin
    update search_changes set changes = changes + 1 where source = 'people' and shard = (select abs(random()) % 16);
end;

create trigger search_people_update after update of display_name, reading, romanized, merged_into on people begin
    update search_changes set changes = changes + 1 where source = 'people' and shard = (select abs(random()) % 16);
end;

create trigger search_affiliations_insert after insert on affiliations begin
    update search_changes set changes = changes + 1 where source = 'affiliations' and shard = (select abs(random()) % 16);
end;

create trigger search_affiliations_delete after delete on affiliations begin
    update search_changes set changes = changes + 1 where source = 'affiliations' and shard = (select abs(random()) % 16);
end;

create trigger search_affiliations_update after update on affiliations begin
    update search_changes set changes = changes + 1 where source = 'affiliations' and shard = (select abs(random()) % 16);
end;

create trigger search_organisations_insert after insert on organisations begin
    update search_changes set changes = changes + 1 where source = 'organisations' and shard = (select abs(random()) % 16);
end;

create trigger search_organisations_delete after delete on organisations begin
    update search_changes set changes = changes + 1 where source = 'organisations' and shard = (select abs(random()) % 16);
end;

create trigger search_organisations_update after update of name on organisations begin
    update search_changes set changes = changes + 1 where source = 'organisations' and shard = (select abs(random()) % 16);
end;

create trigger search_proposals_insert after insert on proposals begin
    update search_changes set changes = changes + 1 where source = 'proposals' and shard = (select abs(random()) % 16);
end;

create trigger search_proposals_delete after delete on proposals begin
    update search_changes set changes = changes + 1 where source = 'proposals' and shard = (select abs(random()) % 16);
end;

create trigger search_proposals_update after update of title, description, session_type, edition_id, theme_id on proposals begin
    update search_changes set changes = changes + 1 where source = 'proposals' and shard = (select abs(random()) % 16);
end;

create trigger search_editions_insert after insert on editions begin
    update search_changes set changes = changes + 1 where source = 'editions' and shard = (select abs(random()) % 16);
end;

create trigger search_editions_delete after delete on editions begin
    update search_changes set changes = changes + 1 where source = 'editions' and shard = (select abs(random()) % 16);
end;

create trigger search_editions_update after update of slug on editions begin
    update search_changes set changes = changes + 1 where source = 'editions' and shard = (select abs(random()) % 16);
end;

create trigger search_themes_insert after insert on themes begin
    update search_changes set changes = changes + 1 where source = 'themes' and shard = (select abs(random()) % 16);
end;

create trigger search_themes_delete after delete on themes begin
    update search_changes set changes = changes + 1 where source = 'themes' and shard = (select abs(random()) % 16);
end;

create trigger search_themes_update after update of name, name_ja on themes begin
    update search_changes set changes = changes + 1 where source = 'themes' and shard = (select abs(random()) % 16);
end;

create trigger search_action_items_insert after insert on action_items begin
    update search_changes set changes = changes + 1 where source = 'action_items' and shard = (select abs(random()) % 16);
end;

create trigger search_action_items_delete after delete on action_items begin
    update search_changes set changes = changes + 1 where source = 'action_items' and shard = (select abs(random()) % 16);
end;

create trigger search_action_items_update after update of text, due, series_id, origin_meeting_id on action_items begin
    update search_changes set changes = changes + 1 where source = 'action_items' and shard = (select abs(random()) % 16);
end;

create trigger search_action_item_owners_insert after insert on action_item_owners begin
    update search_changes set changes = changes + 1 where source = 'action_item_owners' and shard = (select abs(random()) % 16);
end;

create trigger search_action_item_owners_delete after delete on action_item_owners begin
    update search_changes set changes = changes + 1 where source = 'action_item_owners' and shard = (select abs(random()) % 16);
end;

create trigger search_action_item_owners_update after update on action_item_owners begin
    update search_changes set changes = changes + 1 where source = 'action_item_owners' and shard = (select abs(random()) % 16);
end;

create trigger search_meeting_series_insert after insert on meeting_series begin
    update search_changes set changes = changes + 1 where source = 'meeting_series' and shard = (select abs(random()) % 16);
end;

create trigger search_meeting_series_delete after delete on meeting_series begin
    update search_changes set changes = changes + 1 where source = 'meeting_series' and shard = (select abs(random()) % 16);
end;

create trigger search_meeting_series_update after update of name, committee_id on meeting_series begin
    update search_changes set changes = changes + 1 where source = 'meeting_series' and shard = (select abs(random()) % 16);
end;

create trigger search_committees_insert after insert on committees begin
    update search_changes set changes = changes + 1 where source = 'committees' and shard = (select abs(random()) % 16);
end;

create trigger search_committees_delete after delete on committees begin
    update search_changes set changes = changes + 1 where source = 'committees' and shard = (select abs(random()) % 16);
end;

create trigger search_committees_update after update on committees begin
    update search_changes set changes = changes + 1 where source = 'committees' and shard = (select abs(random()) % 16);
end;
