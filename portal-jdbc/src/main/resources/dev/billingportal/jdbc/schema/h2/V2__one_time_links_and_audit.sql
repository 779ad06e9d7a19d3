-- Billing Portal schema, version 2, for H2 2.x (default or PostgreSQL compatibility mode): one-time links and the
-- audit trail.
--
-- ${table_prefix} is the table prefix placeholder, as in V1. Every statement is idempotent (H2 has no advisory lock,
-- so two instances starting together may both run the file). Sessions stored before this version read as links
-- never exchanged.

-- A one-time link records when it was exchanged; the session exchanged from it names its link and when it was
-- last active (its idle timeout counts from there).
ALTER TABLE ${table_prefix}sessions ADD COLUMN IF NOT EXISTS link_id VARCHAR(255);
ALTER TABLE ${table_prefix}sessions ADD COLUMN IF NOT EXISTS exchanged_at TIMESTAMP(6) WITH TIME ZONE;
ALTER TABLE ${table_prefix}sessions ADD COLUMN IF NOT EXISTS last_seen_at TIMESTAMP(6) WITH TIME ZONE;

-- Revoking a link revokes the sessions exchanged from it, found here.
CREATE INDEX IF NOT EXISTS ${table_prefix}sessions_link_ix
    ON ${table_prefix}sessions (link_id);

-- Who did what, when, from where: never a token. Keyed by the event's random id (unique across tenants); read per
-- customer, oldest first, from the customer index.
CREATE TABLE IF NOT EXISTS ${table_prefix}audit_events (
    id                    VARCHAR(255) NOT NULL,
    tenant_id             VARCHAR(255) NOT NULL,
    customer_external_id  VARCHAR(255) NOT NULL,
    occurred_at           TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    event_type            VARCHAR(40) NOT NULL,
    actor                 VARCHAR(16) NOT NULL,
    session_id            VARCHAR(255),
    link_id               VARCHAR(255),
    invoice_id            VARCHAR(255),
    client_address        VARCHAR(100),
    user_agent            VARCHAR(512),
    CONSTRAINT ${table_prefix}audit_events_pk PRIMARY KEY (id)
);

CREATE INDEX IF NOT EXISTS ${table_prefix}audit_events_customer_ix
    ON ${table_prefix}audit_events (tenant_id, customer_external_id, occurred_at, id);
