-- Nothing reaches the public that the secretariat has not published: a session made by a
-- decision or created in the editor waits, unpublished, until the secretariat publishes the
-- programme. Sessions already in a programme before this were public: they stay so.
alter table programme_sessions add column published integer not null default 0;
update programme_sessions set published = 1;
