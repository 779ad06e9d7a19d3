-- Billing Portal schema, version 3, for PostgreSQL 12 or later: self-service (profile edits, named configurations,
-- idempotency keys, the event outbox).
--
-- ${table_prefix} is the table prefix placeholder, as in V1. Every statement is idempotent, so the file can run on
-- a database where it already ran. Adding nullable columns without defaults rewrites no rows. Every new table
-- carries tenant_id (and the customer's external id where a row belongs to one customer), so it can be distributed
-- by them.

-- The customer's phone number, editable by the customer when the configuration allows it.
ALTER TABLE ${table_prefix}customers ADD COLUMN IF NOT EXISTS phone varchar(1000);

-- For a change, a JSON object of each changed field's old and new value (at most 16,000 characters).
ALTER TABLE ${table_prefix}audit_events ADD COLUMN IF NOT EXISTS details text;

-- Named portal configurations per tenant, as JSON documents (PortalConfigurationJson) with their schema version.
-- is_default is TRUE for the tenant's default and NULL otherwise (never FALSE): the unique key on
-- (tenant_id, is_default) then allows at most one default per tenant, the same way on every database.
CREATE TABLE IF NOT EXISTS ${table_prefix}configurations (
    tenant_id       varchar(255) COLLATE "C" NOT NULL,
    name            varchar(255) COLLATE "C" NOT NULL,
    is_default      boolean,
    schema_version  integer NOT NULL,
    document        text NOT NULL,
    updated_at      timestamptz NOT NULL,
    CONSTRAINT ${table_prefix}configurations_pk PRIMARY KEY (tenant_id, name),
    CONSTRAINT ${table_prefix}configurations_default_uq UNIQUE (tenant_id, is_default),
    CONSTRAINT ${table_prefix}configurations_default_ck CHECK (is_default IS NULL OR is_default)
);

-- Writes sent with an Idempotency-Key: the primary key decides, across threads and nodes, which request acts.
-- status is 0 (and response_body null) while the first request runs. Expired keys are purged by expires_at.
CREATE TABLE IF NOT EXISTS ${table_prefix}idempotency_keys (
    tenant_id       varchar(255) COLLATE "C" NOT NULL,
    customer_id     varchar(255) COLLATE "C" NOT NULL,
    idem_key        varchar(255) COLLATE "C" NOT NULL,
    request_digest  varchar(255) COLLATE "C" NOT NULL,
    status          integer NOT NULL,
    response_body   bytea,
    created_at      timestamptz NOT NULL,
    expires_at      timestamptz NOT NULL,
    CONSTRAINT ${table_prefix}idempotency_keys_pk PRIMARY KEY (tenant_id, customer_id, idem_key)
);

CREATE INDEX IF NOT EXISTS ${table_prefix}idempotency_keys_expires_ix
    ON ${table_prefix}idempotency_keys (expires_at);

-- The transactional outbox: one row per event, written in the transaction of the write it announces. seq is the
-- outbox's order; a relay polls undelivered rows by seq through the partial index.
CREATE TABLE IF NOT EXISTS ${table_prefix}event_outbox (
    seq             bigint GENERATED ALWAYS AS IDENTITY,
    event_id        varchar(255) COLLATE "C" NOT NULL,
    event_type      varchar(100) NOT NULL,
    tenant_id       varchar(255) COLLATE "C" NOT NULL,
    customer_id     varchar(255) COLLATE "C" NOT NULL,
    occurred_at     timestamptz NOT NULL,
    payload         text NOT NULL,
    attempts        integer NOT NULL DEFAULT 0,
    delivered_at    timestamptz,
    CONSTRAINT ${table_prefix}event_outbox_pk PRIMARY KEY (seq),
    CONSTRAINT ${table_prefix}event_outbox_event_id_uq UNIQUE (event_id)
);

CREATE INDEX IF NOT EXISTS ${table_prefix}event_outbox_pending_ix
    ON ${table_prefix}event_outbox (seq) WHERE delivered_at IS NULL;
