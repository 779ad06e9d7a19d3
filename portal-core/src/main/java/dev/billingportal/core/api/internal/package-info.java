/**
 * HTTP pieces shared by every endpoint of the library (the portal API, Lago's, Flexprice's and the redirect
 * endpoint): JSON answers and error bodies, bearer parsing, security headers, digests, strict JSON bodies and the
 * idempotency gate. Not API: anything here may change in any release.
 */
package dev.billingportal.core.api.internal;
