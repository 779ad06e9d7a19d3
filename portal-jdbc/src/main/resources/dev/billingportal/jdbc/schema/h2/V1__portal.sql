-- Billing Portal schema, version 1, for H2 2.x (default or PostgreSQL compatibility mode).
--
-- ${table_prefix} is a Flyway-style placeholder for the table prefix (default "portal_"): PortalSchema.migrate
-- replaces it, and so does Flyway given placeholders.table_prefix. Every statement is idempotent: H2 has no
-- advisory lock, so two instances starting together may both run the file, and nothing breaks.
--
-- H2 compares strings by UTF-16 code unit, so ids order as bytes (invoice ids are ASCII). Money is integer
-- minor units (BIGINT) with an ISO currency code, dates are DATE, instants TIMESTAMP WITH TIME ZONE (UTC).

CREATE TABLE IF NOT EXISTS ${table_prefix}customers (
    tenant_id         VARCHAR(255) NOT NULL,
    id                VARCHAR(255) NOT NULL,
    external_id       VARCHAR(255) NOT NULL,
    name              VARCHAR(1000),
    legal_name        VARCHAR(1000),
    email             VARCHAR(1000),
    tax_id            VARCHAR(1000),
    billing_line1     VARCHAR(1000),
    billing_line2     VARCHAR(1000),
    billing_city      VARCHAR(1000),
    billing_state     VARCHAR(1000),
    billing_zipcode   VARCHAR(1000),
    billing_country   CHAR(2),
    shipping_line1    VARCHAR(1000),
    shipping_line2    VARCHAR(1000),
    shipping_city     VARCHAR(1000),
    shipping_state    VARCHAR(1000),
    shipping_zipcode  VARCHAR(1000),
    shipping_country  CHAR(2),
    currency          CHAR(3),
    document_locale   VARCHAR(255),
    timezone          VARCHAR(255) NOT NULL,
    CONSTRAINT ${table_prefix}customers_pk PRIMARY KEY (tenant_id, id),
    CONSTRAINT ${table_prefix}customers_external_id_uq UNIQUE (tenant_id, external_id)
);

-- number_lower is the number lower-cased by the library (Java, Locale.ROOT): the reference semantics of the search.
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
    document_ref      VARCHAR(1000),
    CONSTRAINT ${table_prefix}invoices_pk PRIMARY KEY (tenant_id, id),
    CONSTRAINT ${table_prefix}invoices_customer_fk FOREIGN KEY (tenant_id, customer_id)
        REFERENCES ${table_prefix}customers (tenant_id, id),
    CONSTRAINT ${table_prefix}invoices_status_ck CHECK (status IN ('DRAFT', 'FINALIZED', 'VOIDED', 'FAILED', 'PENDING')),
    CONSTRAINT ${table_prefix}invoices_payment_status_ck CHECK (payment_status IN ('PENDING', 'SUCCEEDED', 'FAILED'))
);

-- Keyset pagination: H2 walks this index only when ORDER BY starts with its leading columns.
CREATE INDEX IF NOT EXISTS ${table_prefix}invoices_portal_order_ix
    ON ${table_prefix}invoices (tenant_id, customer_id, issuing_date DESC, id DESC);

-- The live half of the overview reads only unpaid finalized invoices.
CREATE INDEX IF NOT EXISTS ${table_prefix}invoices_unpaid_ix
    ON ${table_prefix}invoices (tenant_id, customer_id, status, payment_status, currency, payment_due_date, amount_due_minor);

-- Total invoiced per customer and currency over finalized invoices, kept exact by every invoice save in the
-- same transaction, so the overview never sums a customer's whole history.
CREATE TABLE IF NOT EXISTS ${table_prefix}invoice_totals (
    tenant_id         VARCHAR(255) NOT NULL,
    customer_id       VARCHAR(255) NOT NULL,
    currency          CHAR(3) NOT NULL,
    invoiced_minor    BIGINT NOT NULL,
    invoice_count     BIGINT NOT NULL,
    CONSTRAINT ${table_prefix}invoice_totals_pk PRIMARY KEY (tenant_id, customer_id, currency),
    CONSTRAINT ${table_prefix}invoice_totals_customer_fk FOREIGN KEY (tenant_id, customer_id)
        REFERENCES ${table_prefix}customers (tenant_id, id)
);

-- Sessions are keyed by their random id alone: revocation names only the id.
CREATE TABLE IF NOT EXISTS ${table_prefix}sessions (
    id                    VARCHAR(255) NOT NULL,
    tenant_id             VARCHAR(255) NOT NULL,
    customer_external_id  VARCHAR(255) NOT NULL,
    issued_at             TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    expires_at            TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    locale                VARCHAR(255),
    return_url            VARCHAR(2048),
    configuration_name    VARCHAR(1000),
    flow                  VARCHAR(1000),
    revoked_at            TIMESTAMP(6) WITH TIME ZONE,
    CONSTRAINT ${table_prefix}sessions_pk PRIMARY KEY (id)
);

CREATE INDEX IF NOT EXISTS ${table_prefix}sessions_customer_ix
    ON ${table_prefix}sessions (tenant_id, customer_external_id);

CREATE INDEX IF NOT EXISTS ${table_prefix}sessions_expires_ix
    ON ${table_prefix}sessions (expires_at);
