-- Billing Portal schema, version 2, for MariaDB 10.8+ and MySQL 8.0.16+: one-time links and the audit trail.
--
-- ${table_prefix} is the table prefix placeholder, as in V1. MySQL has no ADD COLUMN IF NOT EXISTS, so the session
-- columns come in one ALTER TABLE, which applies all or nothing, and last: should the file stop half-way, running
-- it again finds the new table (CREATE TABLE IF NOT EXISTS) and repeats only the ALTER. Sessions stored before this
-- version read as links never exchanged. Instants are DATETIME(6) in UTC, as in V1.

-- Who did what, when, from where: never a token. Keyed by the event's random id (unique across tenants); read per
-- customer, oldest first, from the customer index.
CREATE TABLE IF NOT EXISTS ${table_prefix}audit_events (
    id                    VARCHAR(255) NOT NULL,
    tenant_id             VARCHAR(255) NOT NULL,
    customer_external_id  VARCHAR(255) NOT NULL,
    occurred_at           DATETIME(6) NOT NULL,
    event_type            VARCHAR(40) NOT NULL,
    actor                 VARCHAR(16) NOT NULL,
    session_id            VARCHAR(255),
    link_id               VARCHAR(255),
    invoice_id            VARCHAR(255),
    client_address        VARCHAR(100),
    user_agent            VARCHAR(512),
    PRIMARY KEY (id),
    KEY ${table_prefix}audit_events_customer_ix (tenant_id, customer_external_id, occurred_at, id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- A one-time link records when it was exchanged; the session exchanged from it names its link and when it was
-- last active (its idle timeout counts from there). Revoking a link revokes the sessions found by the new index.
ALTER TABLE ${table_prefix}sessions
    ADD COLUMN link_id VARCHAR(255) NULL,
    ADD COLUMN exchanged_at DATETIME(6) NULL,
    ADD COLUMN last_seen_at DATETIME(6) NULL,
    ADD KEY ${table_prefix}sessions_link_ix (link_id);
