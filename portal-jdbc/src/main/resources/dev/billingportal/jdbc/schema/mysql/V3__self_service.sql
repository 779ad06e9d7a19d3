-- Billing Portal schema, version 3, for MariaDB 10.8+ and MySQL 8.0.16+: self-service (profile edits, named
-- configurations, idempotency keys, the event outbox).
--
-- ${table_prefix} is the table prefix placeholder, as in V1. MySQL has no ADD COLUMN IF NOT EXISTS, so the new
-- tables come first (CREATE TABLE IF NOT EXISTS) and the two ALTER TABLEs last: should the file stop between
-- them, add the missing column by hand before running it again. Instants are DATETIME(6) in UTC, as in V1.

-- Named portal configurations per tenant, as JSON documents with their schema version. is_default is TRUE for the
-- tenant's default and NULL otherwise (never FALSE): the unique key on (tenant_id, is_default) allows one default.
CREATE TABLE IF NOT EXISTS ${table_prefix}configurations (
    tenant_id       VARCHAR(255) NOT NULL,
    name            VARCHAR(255) NOT NULL,
    is_default      BOOLEAN NULL,
    schema_version  INT NOT NULL,
    document        MEDIUMTEXT NOT NULL,
    updated_at      DATETIME(6) NOT NULL,
    PRIMARY KEY (tenant_id, name),
    UNIQUE KEY ${table_prefix}configurations_default_uq (tenant_id, is_default),
    CONSTRAINT ${table_prefix}configurations_default_ck CHECK (is_default IS NULL OR is_default = TRUE)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Writes sent with an Idempotency-Key: the primary key decides which request acts. The key (1-255 visible ASCII
-- characters) is VARBINARY: compared byte for byte (MariaDB's _bin collations are PAD SPACE, so "k" and "k " would
-- be one key), and short enough that the three-column key stays within InnoDB's 3072 bytes.
CREATE TABLE IF NOT EXISTS ${table_prefix}idempotency_keys (
    tenant_id       VARCHAR(255) NOT NULL,
    customer_id     VARCHAR(255) NOT NULL,
    idem_key        VARBINARY(255) NOT NULL,
    request_digest  VARBINARY(255) NOT NULL,
    status          INT NOT NULL,
    response_body   MEDIUMBLOB NULL,
    created_at      DATETIME(6) NOT NULL,
    expires_at      DATETIME(6) NOT NULL,
    PRIMARY KEY (tenant_id, customer_id, idem_key),
    KEY ${table_prefix}idempotency_keys_expires_ix (expires_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- The transactional outbox: one row per event, written in the transaction of the write it announces; polled
-- undelivered by seq.
CREATE TABLE IF NOT EXISTS ${table_prefix}event_outbox (
    seq             BIGINT NOT NULL AUTO_INCREMENT,
    event_id        VARCHAR(255) NOT NULL,
    event_type      VARCHAR(100) NOT NULL,
    tenant_id       VARCHAR(255) NOT NULL,
    customer_id     VARCHAR(255) NOT NULL,
    occurred_at     DATETIME(6) NOT NULL,
    payload         MEDIUMTEXT NOT NULL,
    attempts        INT NOT NULL DEFAULT 0,
    delivered_at    DATETIME(6) NULL,
    PRIMARY KEY (seq),
    UNIQUE KEY ${table_prefix}event_outbox_event_id_uq (event_id),
    KEY ${table_prefix}event_outbox_pending_ix (delivered_at, seq)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- For a change, a JSON object of each changed field's old and new value (at most 16,000 characters).
ALTER TABLE ${table_prefix}audit_events ADD COLUMN details MEDIUMTEXT NULL;

-- The customer's phone number, editable by the customer when the configuration allows it.
ALTER TABLE ${table_prefix}customers ADD COLUMN phone TEXT NULL;
