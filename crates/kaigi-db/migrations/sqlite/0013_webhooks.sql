-- Webhooks: a receiving site asks to be told of events (proposal submitted, decision made,
-- programme published, …). An edition's webhook hears its edition's events; one without an
-- edition (made by an administrator) hears every event of the site. The secret signs each
-- delivery, so it is kept as given: kaigi needs it to sign.
create table webhooks (
    id blob primary key,
    edition_id blob references editions (id),
    url text not null,
    secret text not null,
    events text not null,
    active integer not null default 1,
    created_by blob references users (id),
    created_at text not null,
    updated_at text not null
);
create index webhooks_edition on webhooks (edition_id);

-- One row per event per webhook, written in the transaction of the change it tells of: an
-- outbox, delivered by whichever instance claims it first, retried with backoff.
create table webhook_deliveries (
    id blob primary key,
    webhook_id blob not null references webhooks (id) on delete cascade,
    event text not null,
    body text not null,
    attempts integer not null default 0,
    next_attempt_at text not null,
    delivered_at text,
    last_status integer,
    last_error text,
    created_at text not null,
    updated_at text not null
);
create index webhook_deliveries_due on webhook_deliveries (next_attempt_at) where delivered_at is null;
create index webhook_deliveries_webhook on webhook_deliveries (webhook_id, created_at);
