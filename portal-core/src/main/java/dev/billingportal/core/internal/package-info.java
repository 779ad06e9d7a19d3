/**
 * Implementation details of portal-core: JSON shapes, input checks, cursors, ids, the audit and event plumbing shared by the feature slices.
 * Not API: anything here may change in any release, without notice; use the public types of the module instead.
 */
package dev.billingportal.core.internal;
