package dev.billingportal.core.invoices;

import dev.billingportal.core.PortalException;

import dev.billingportal.core.internal.Checks;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;

/**
 * An invoice's document, as an {@link dev.billingportal.core.invoices.InvoiceDocumentStore} gives it: either
 * bytes to stream to the customer, or a URL to redirect them to (a short-lived signed storage URL, say).
 */
public sealed interface InvoiceDocument permits InvoiceDocument.Stream, InvoiceDocument.Redirect {

    /** Opens the bytes of a document; each call opens a fresh stream that the caller closes. */
    @FunctionalInterface
    interface Content {
        /** A new stream over the document's bytes. */
        InputStream open() throws IOException;
    }

    /**
     * A document streamed to the customer.
     *
     * @param fileName      the file name offered to the browser, e.g. {@code INV-2026-001.pdf}
     * @param contentType   its media type, e.g. {@code application/pdf}
     * @param contentLength its size in bytes, or -1 when unknown
     * @param content       opens the bytes
     */
    record Stream(String fileName, String contentType, long contentLength, Content content) implements InvoiceDocument {
        /** Validates the parts. */
        public Stream {
            Checks.id(fileName, "file_name");
            if (fileName.contains("/") || fileName.contains("\\")) {
                throw PortalException.invalid("file_name", "must not contain path separators");
            }
            Checks.id(contentType, "content_type");
            if (contentLength < -1) {
                throw PortalException.invalid("content_length", "must be -1 (unknown) or more");
            }
            Checks.required(content, "content");
        }
    }

    /**
     * A document the customer is redirected to.
     *
     * @param location absolute http(s) URL of the document
     */
    record Redirect(URI location) implements InvoiceDocument {
        /** Validates the location. */
        public Redirect {
            Checks.required(location, "location");
            Checks.optionalHttpUrl(location, "location");
        }
    }

    /** A document streamed from {@code content}. */
    static InvoiceDocument stream(String fileName, String contentType, long contentLength, Content content) {
        return new Stream(fileName, contentType, contentLength, content);
    }

    /** A document of the given bytes. */
    static InvoiceDocument bytes(String fileName, String contentType, byte[] bytes) {
        byte[] copy = bytes.clone();
        return new Stream(fileName, contentType, copy.length, () -> new java.io.ByteArrayInputStream(copy));
    }

    /** A redirect to {@code location}. */
    static InvoiceDocument redirect(URI location) {
        return new Redirect(location);
    }
}
