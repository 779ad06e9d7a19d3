-- Billing Portal schema, version 1, for PostgreSQL 12 or later.
--
-- ${table_prefix} is a Flyway-style placeholder for the table prefix (default "portal_"): PortalSchema.migrate
-- replaces it, and so does Flyway given placeholders.table_prefix. Every statement is idempotent, so the file
-- can run on a database where it already ran.
--
-- Keys are COLLATE "C": byte order, so SQL order equals InvoiceKey.PORTAL_ORDER, and no locale-aware
-- comparison slows down the btrees. Money is integer minor units (bigint) with an ISO currency code, dates are
-- date, instants are timestamptz (UTC). Every table carries tenant_id and a customer key, so it can be
-- distributed by them.

CREATE TABLE IF NOT EXISTS ${table_prefix}customers (
    tenant_id         varchar(255) COLLATE "C" NOT NULL,
    id                varchar(255) COLLATE "C" NOT NULL,
    external_id       varchar(255) COLLATE "C" NOT NULL,
    name              varchar(1000),
    legal_name        varchar(1000),
    email             varchar(1000),
    tax_id            varchar(1000),
    billing_line1     varchar(1000),
    billing_line2     varchar(1000),
    billing_city      varchar(1000),
    billing_state     varchar(1000),
    billing_zipcode   varchar(1000),
    billing_country   char(2),
    shipping_line1    varchar(1000),
    shipping_line2    varchar(1000),
    shipping_city     varchar(1000),
    shipping_state    varchar(1000),
    shipping_zipcode  varchar(1000),
    shipping_country  char(2),
    currency          char(3),
    document_locale   varchar(255),
    timezone          varchar(255) NOT NULL,
    CONSTRAINT ${table_prefix}customers_pk PRIMARY KEY (tenant_id, id),
    CONSTRAINT ${table_prefix}customers_external_id_uq UNIQUE (tenant_id, external_id)
);

-- number_lower is the number lower-cased by the library (Java, Locale.ROOT): the reference semantics of the
-- search, whatever the database's own collation or case mapping would do.
CREATE TABLE IF NOT EXISTS ${table_prefix}invoices (
    tenant_id         varchar(255) COLLATE "C" NOT NULL,
    id                varchar(255) COLLATE "C" NOT NULL,
    customer_id       varchar(255) COLLATE "C" NOT NULL,
    number            varchar(255) NOT NULL,
    number_lower      varchar(1000) NOT NULL,
    invoice_type      varchar(32) NOT NULL,
    status            varchar(16) NOT NULL,
    payment_status    varchar(16) NOT NULL,
    issuing_date      date NOT NULL,
    payment_due_date  date NOT NULL,
    currency          char(3) NOT NULL,
    subtotal_minor    bigint NOT NULL,
    taxes_minor       bigint NOT NULL,
    total_minor       bigint NOT NULL,
    amount_due_minor  bigint NOT NULL,
    document_ref      varchar(1000),
    CONSTRAINT ${table_prefix}invoices_pk PRIMARY KEY (tenant_id, id),
    CONSTRAINT ${table_prefix}invoices_customer_fk FOREIGN KEY (tenant_id, customer_id)
        REFERENCES ${table_prefix}customers (tenant_id, id),
    CONSTRAINT ${table_prefix}invoices_status_ck CHECK (status IN ('DRAFT', 'FINALIZED', 'VOIDED', 'FAILED', 'PENDING')),
    CONSTRAINT ${table_prefix}invoices_payment_status_ck CHECK (payment_status IN ('PENDING', 'SUCCEEDED', 'FAILED'))
);

-- Keyset pagination: page 5,000 costs what page 1 costs.
CREATE INDEX IF NOT EXISTS ${table_prefix}invoices_portal_order_ix
    ON ${table_prefix}invoices (tenant_id, customer_id, issuing_date DESC, id DESC);

-- The live half of the overview (overdue, outstanding) reads only unpaid finalized invoices, usually a few.
CREATE INDEX IF NOT EXISTS ${table_prefix}invoices_unpaid_ix
    ON ${table_prefix}invoices (tenant_id, customer_id, currency, payment_due_date) INCLUDE (amount_due_minor)
    WHERE status = 'FINALIZED' AND payment_status IN ('PENDING', 'FAILED');

-- Total invoiced per customer and currency over finalized invoices, kept exact by every invoice save in the
-- same transaction, so the overview never sums a customer's whole history.
CREATE TABLE IF NOT EXISTS ${table_prefix}invoice_totals (
    tenant_id         varchar(255) COLLATE "C" NOT NULL,
    customer_id       varchar(255) COLLATE "C" NOT NULL,
    currency          char(3) NOT NULL,
    invoiced_minor    bigint NOT NULL,
    invoice_count     bigint NOT NULL,
    CONSTRAINT ${table_prefix}invoice_totals_pk PRIMARY KEY (tenant_id, customer_id, currency),
    CONSTRAINT ${table_prefix}invoice_totals_customer_fk FOREIGN KEY (tenant_id, customer_id)
        REFERENCES ${table_prefix}customers (tenant_id, id)
);

-- Sessions are keyed by their random id alone: revocation names only the id.
CREATE TABLE IF NOT EXISTS ${table_prefix}sessions (
    id                    varchar(255) COLLATE "C" NOT NULL,
    tenant_id             varchar(255) COLLATE "C" NOT NULL,
    customer_external_id  varchar(255) COLLATE "C" NOT NULL,
    issued_at             timestamptz NOT NULL,
    expires_at            timestamptz NOT NULL,
    locale                varchar(255),
    return_url            varchar(2048),
    configuration_name    varchar(1000),
    flow                  varchar(1000),
    revoked_at            timestamptz,
    CONSTRAINT ${table_prefix}sessions_pk PRIMARY KEY (id)
);

CREATE INDEX IF NOT EXISTS ${table_prefix}sessions_customer_ix
    ON ${table_prefix}sessions (tenant_id, customer_external_id);

CREATE INDEX IF NOT EXISTS ${table_prefix}sessions_expires_ix
    ON ${table_prefix}sessions (expires_at);

-- Number search in a customer with many invoices: a trigram index answers LIKE '%...%'. pg_trgm ships with
-- PostgreSQL's contrib and is a trusted extension (13+), but a role may still lack the right to create it:
-- then this notes it and goes on, and search scans the customer's invoices instead (see the README).
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
        BEGIN
            CREATE EXTENSION IF NOT EXISTS pg_trgm;
        EXCEPTION WHEN insufficient_privilege OR undefined_file OR feature_not_supported OR object_not_in_prerequisite_state THEN
            RAISE NOTICE 'pg_trgm is not available (%): invoice number search will scan each customer''s invoices', SQLERRM;
        END;
    END IF;
END
$$;

DO $$
DECLARE
    trgm_schema name;
BEGIN
    SELECT n.nspname INTO trgm_schema
      FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
     WHERE e.extname = 'pg_trgm';
    IF trgm_schema IS NOT NULL THEN
        EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON ${table_prefix}invoices USING gin (number_lower %I.gin_trgm_ops)',
                       '${table_prefix}invoices_number_trgm_ix', trgm_schema);
    END IF;
END
$$;
