/**
 * Implementation details of portal-jdbc: dialects, the executor and its transactions, the repositories behind JdbcPortalStore, the schema migrator.
 * Not API: anything here may change in any release, without notice; use the public types of the module instead.
 */
package dev.billingportal.jdbc.internal;
