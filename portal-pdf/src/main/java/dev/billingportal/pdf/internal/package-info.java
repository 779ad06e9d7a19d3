/**
 * Implementation details of portal-pdf: layout, fonts and rendering of invoice PDFs.
 * Not API: anything here may change in any release, without notice; use the public types of the module instead.
 */
package dev.billingportal.pdf.internal;
