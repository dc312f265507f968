-- Calls for proposals and their evaluation: calls with their settings, versioned rubrics,
-- proposals' fields, revisions and decisions, evaluators, assignments, declared conflicts and
-- evaluations. Kept in lock-step with ../postgres/0005_calls.sql.

create table calls (
    id blob primary key,
    edition_id blob not null references editions (id),
    name text not null,
    name_ja text,
    opens_at text not null,
    closes_at text not null,
    -- kaigi_core::calls::CallSettings as JSON.
    settings text not null,
    -- The previous edition's evaluation completion (percent), when only the figure is known.
    reference_completion integer,
    screened_at text,
    version integer not null,
    created_at text not null,
    updated_at text not null
);
create index calls_edition on calls (edition_id);

-- A rubric per call and session type ('' for every type without its own), in revisions; a
-- revision is locked once an evaluation uses it.
create table rubrics (
    id blob primary key,
    call_id blob not null references calls (id),
    session_type text not null,
    revision integer not null,
    body text not null,
    locked_at text,
    created_at text not null,
    updated_at text not null
);
create unique index rubrics_revision on rubrics (call_id, session_type, revision);

alter table proposals add column call_id blob references calls (id);
alter table proposals add column owner_user_id blob references users (id);
-- kaigi_core::calls::ProposalFields beyond title, type, theme and description, as JSON.
alter table proposals add column fields text not null default '{}';
alter table proposals add column submitted_at text;
-- The screening outcomes at the deadline, as JSON.
alter table proposals add column screening text;
alter table proposals add column decision text;
-- Conditions of an acceptance on condition (kaigi_core::screening::Rule list as JSON).
alter table proposals add column conditions text;
alter table proposals add column merged_into blob references proposals (id);
alter table proposals add column decided_at text;
create index proposals_call on proposals (call_id);
create index proposals_owner on proposals (owner_user_id);

create table proposal_revisions (
    id blob primary key,
    proposal_id blob not null references proposals (id),
    revision integer not null,
    snapshot text not null,
    actor_label text not null,
    created_at text not null,
    updated_at text not null
);
create unique index proposal_revisions_unique on proposal_revisions (proposal_id, revision);

-- People invited by email confirm through a link; the token is stored hashed.
alter table proposal_people add column confirm_token_hash text;

create table call_evaluators (
    id blob primary key,
    call_id blob not null references calls (id),
    user_id blob not null references users (id),
    capacity integer,
    themes text not null,
    created_at text not null,
    updated_at text not null
);
create unique index call_evaluators_unique on call_evaluators (call_id, user_id);

create table evaluator_assignments (
    id blob primary key,
    call_id blob not null references calls (id),
    proposal_id blob not null references proposals (id),
    user_id blob not null references users (id),
    fixed integer not null,
    created_at text not null,
    updated_at text not null
);
create unique index evaluator_assignments_unique on evaluator_assignments (proposal_id, user_id);
create index evaluator_assignments_user on evaluator_assignments (call_id, user_id);

create table evaluator_conflicts (
    id blob primary key,
    call_id blob not null references calls (id),
    proposal_id blob not null references proposals (id),
    user_id blob not null references users (id),
    reason text not null,
    created_at text not null,
    updated_at text not null
);
create unique index evaluator_conflicts_unique on evaluator_conflicts (proposal_id, user_id);

create table evaluations (
    id blob primary key,
    proposal_id blob not null references proposals (id),
    user_id blob not null references users (id),
    rubric_id blob not null references rubrics (id),
    -- kaigi_core::evaluation::Marks as JSON.
    marks text not null,
    state text not null,
    version integer not null,
    submitted_at text,
    created_at text not null,
    updated_at text not null
);
create unique index evaluations_unique on evaluations (proposal_id, user_id);

-- A session's report after the forum (the next call's screening asks for it).
alter table programme_sessions add column report text;
alter table programme_sessions add column reported_at text;
