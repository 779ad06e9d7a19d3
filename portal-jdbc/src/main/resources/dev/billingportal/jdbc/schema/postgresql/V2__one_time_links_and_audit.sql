-- Billing Portal schema, version 2, for PostgreSQL 12 or later: one-time links and the audit trail.
--
-- ${table_prefix} is the table prefix placeholder, as in V1. Every statement is idempotent, so the file can run on
-- a database where it already ran. Adding nullable columns without defaults rewrites no rows: sessions stored
-- before this version read as links never exchanged.

-- A one-time link records when it was exchanged; the session exchanged from it names its link and when it was
-- last active (its idle timeout counts from there).
ALTER TABLE ${table_prefix}sessions ADD COLUMN IF NOT EXISTS link_id varchar(255) COLLATE "C";
ALTER TABLE ${table_prefix}sessions ADD COLUMN IF NOT EXISTS exchanged_at timestamptz;
ALTER TABLE ${table_prefix}sessions ADD COLUMN IF NOT EXISTS last_seen_at timestamptz;

-- Revoking a link revokes the sessions exchanged from it, found here. Links themselves have no link_id: left out.
CREATE INDEX IF NOT EXISTS ${table_prefix}sessions_link_ix
    ON ${table_prefix}sessions (link_id) WHERE link_id IS NOT NULL;

-- Who did what, when, from where: never a token. Keyed by the event's random id (unique across tenants); read per
-- customer, oldest first, from the customer index.
CREATE TABLE IF NOT EXISTS ${table_prefix}audit_events (
    id                    varchar(255) COLLATE "C" NOT NULL,
    tenant_id             varchar(255) COLLATE "C" NOT NULL,
    customer_external_id  varchar(255) COLLATE "C" NOT NULL,
    occurred_at           timestamptz NOT NULL,
    event_type            varchar(40) NOT NULL,
    actor                 varchar(16) NOT NULL,
    session_id            varchar(255) COLLATE "C",
    link_id               varchar(255) COLLATE "C",
    invoice_id            varchar(255) COLLATE "C",
    client_address        varchar(100),
    user_agent            varchar(512),
    CONSTRAINT ${table_prefix}audit_events_pk PRIMARY KEY (id)
);

CREATE INDEX IF NOT EXISTS ${table_prefix}audit_events_customer_ix
    ON ${table_prefix}audit_events (tenant_id, customer_external_id, occurred_at, id);
