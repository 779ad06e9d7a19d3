-- Billing Portal schema, version 1, for MariaDB 10.8+ and MySQL 8.0.16+ (InnoDB, utf8mb4).
--
-- ${table_prefix} is a Flyway-style placeholder for the table prefix (default "portal_"): PortalSchema.migrate
-- replaces it, and so does Flyway given placeholders.table_prefix. Indexes are declared inside CREATE TABLE
-- IF NOT EXISTS, so the file can run on a database where it already ran.
--
-- Every table defaults to utf8mb4_bin: ids compare as bytes (so SQL order equals InvoiceKey.PORTAL_ORDER and
-- ids differing in case or accents stay distinct), and LIKE on number_lower is accent- and case-sensitive (the
-- library lower-cases both sides itself). Free texts are TEXT to stay under InnoDB's 64 KB row limit. Money is
-- integer minor units (BIGINT) with an ISO currency code, dates are DATE, instants DATETIME(6) in UTC (not
-- TIMESTAMP, which ends in 2038).

CREATE TABLE IF NOT EXISTS ${table_prefix}customers (
    tenant_id         VARCHAR(255) NOT NULL,
    id                VARCHAR(255) NOT NULL,
    external_id       VARCHAR(255) NOT NULL,
    name              TEXT,
    legal_name        TEXT,
    email             TEXT,
    tax_id            TEXT,
    billing_line1     TEXT,
    billing_line2     TEXT,
    billing_city      TEXT,
    billing_state     TEXT,
    billing_zipcode   TEXT,
    billing_country   CHAR(2),
    shipping_line1    TEXT,
    shipping_line2    TEXT,
    shipping_city     TEXT,
    shipping_state    TEXT,
    shipping_zipcode  TEXT,
    shipping_country  CHAR(2),
    currency          CHAR(3),
    document_locale   VARCHAR(255),
    timezone          VARCHAR(255) NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE KEY ${table_prefix}customers_external_id_uq (tenant_id, external_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- number_lower is the number lower-cased by the library (Java, Locale.ROOT): the reference semantics of the
-- search, whatever the server's case mapping would do.
CREATE TABLE IF NOT EXISTS ${table_prefix}invoices (
    tenant_id         VARCHAR(255) NOT NULL,
    id                VARCHAR(255) NOT NULL,
    customer_id       VARCHAR(255) NOT NULL,
    number            VARCHAR(255) NOT NULL,
    number_lower      VARCHAR(1000) NOT NULL,
    invoice_type      VARCHAR(32) NOT NULL,
    status            VARCHAR(16) NOT NULL,
    payment_status    VARCHAR(16) NOT NULL,
    issuing_date      DATE NOT NULL,
    payment_due_date  DATE NOT NULL,
    currency          CHAR(3) NOT NULL,
    subtotal_minor    BIGINT NOT NULL,
    taxes_minor       BIGINT NOT NULL,
    total_minor       BIGINT NOT NULL,
    amount_due_minor  BIGINT NOT NULL,
    document_ref      TEXT,
    PRIMARY KEY (tenant_id, id),
    -- keyset pagination: page 5,000 costs what page 1 costs
    KEY ${table_prefix}invoices_portal_order_ix (tenant_id, customer_id, issuing_date DESC, id DESC),
    -- the live half of the overview reads only unpaid finalized invoices, from this index alone
    KEY ${table_prefix}invoices_unpaid_ix (tenant_id, customer_id, status, payment_status, currency, payment_due_date, amount_due_minor),
    CONSTRAINT ${table_prefix}invoices_customer_fk FOREIGN KEY (tenant_id, customer_id)
        REFERENCES ${table_prefix}customers (tenant_id, id),
    CONSTRAINT ${table_prefix}invoices_status_ck CHECK (status IN ('DRAFT', 'FINALIZED', 'VOIDED', 'FAILED', 'PENDING')),
    CONSTRAINT ${table_prefix}invoices_payment_status_ck CHECK (payment_status IN ('PENDING', 'SUCCEEDED', 'FAILED'))
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Total invoiced per customer and currency over finalized invoices, kept exact by every invoice save in the
-- same transaction, so the overview never sums a customer's whole history.
CREATE TABLE IF NOT EXISTS ${table_prefix}invoice_totals (
    tenant_id         VARCHAR(255) NOT NULL,
    customer_id       VARCHAR(255) NOT NULL,
    currency          CHAR(3) NOT NULL,
    invoiced_minor    BIGINT NOT NULL,
    invoice_count     BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, customer_id, currency),
    CONSTRAINT ${table_prefix}invoice_totals_customer_fk FOREIGN KEY (tenant_id, customer_id)
        REFERENCES ${table_prefix}customers (tenant_id, id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Sessions are keyed by their random id alone: revocation names only the id.
CREATE TABLE IF NOT EXISTS ${table_prefix}sessions (
    id                    VARCHAR(255) NOT NULL,
    tenant_id             VARCHAR(255) NOT NULL,
    customer_external_id  VARCHAR(255) NOT NULL,
    issued_at             DATETIME(6) NOT NULL,
    expires_at            DATETIME(6) NOT NULL,
    locale                VARCHAR(255),
    return_url            TEXT,
    configuration_name    TEXT,
    flow                  TEXT,
    revoked_at            DATETIME(6),
    PRIMARY KEY (id),
    KEY ${table_prefix}sessions_customer_ix (tenant_id, customer_external_id),
    KEY ${table_prefix}sessions_expires_ix (expires_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
