-- The batch pipeline's state: runs and their steps, data-quality results, extract watermarks, and when each
-- warehouse table last changed (what a model compares with to know whether it must be rebuilt).
CREATE TABLE batch_run (
    run_id      text PRIMARY KEY,
    trigger     text        NOT NULL,
    mode        text        NOT NULL,
    scope       text        NOT NULL,
    tables      text,
    range_from  timestamp,
    range_to    timestamp,
    state       text        NOT NULL,
    error       text,
    started_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
    finished_at timestamptz
);
-- One run at a time in the whole cluster: a second start fails on this index.
CREATE UNIQUE INDEX batch_run_one_running ON batch_run ((true)) WHERE state = 'RUNNING';
CREATE INDEX batch_run_started ON batch_run (started_at DESC);

CREATE TABLE batch_step (
    run_id       text        NOT NULL REFERENCES batch_run (run_id),
    step         text        NOT NULL,
    kind         text        NOT NULL,
    state        text        NOT NULL,
    rows_read    bigint      NOT NULL DEFAULT 0,
    rows_written bigint      NOT NULL DEFAULT 0,
    started_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
    finished_at  timestamptz,
    duration_ms  bigint,
    error        text,
    PRIMARY KEY (run_id, step)
);

CREATE TABLE batch_dq_result (
    run_id     text        NOT NULL REFERENCES batch_run (run_id),
    check_name text        NOT NULL,
    target     text        NOT NULL,
    severity   text        NOT NULL,
    status     text        NOT NULL,
    observed   text,
    detail     text,
    checked_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (run_id, check_name, target)
);

-- Moves only after the rows up to it are in ClickHouse.
CREATE TABLE batch_watermark (
    table_name   text PRIMARY KEY,
    cursor_value timestamp,
    cursor_key   bigint,
    run_id       text        NOT NULL,
    updated_at   timestamptz NOT NULL DEFAULT clock_timestamp()
);

-- node: bronze.<table> or a model. checked_at: last time it was (re)evaluated; changed_at: last time its content
-- changed. A model is rebuilt when an upstream changed after the model was last checked.
CREATE TABLE batch_node_state (
    node       text PRIMARY KEY,
    checked_at timestamptz NOT NULL,
    changed_at timestamptz NOT NULL,
    row_count  bigint,
    checksum   text
);
