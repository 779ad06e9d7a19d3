package dev.billingportal.core.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * The body of a {@link PortalResponse}: written by the transport to its output stream, so documents stream
 * instead of sitting in memory.
 */
public interface ResponseBody {
    /** An empty body. */
    ResponseBody EMPTY = new ResponseBody() {
        @Override
        public long length() {
            return 0;
        }

        @Override
        public void writeTo(OutputStream out) {
        }
    };

    /** Its length in bytes, or -1 when unknown before writing (the transport then streams it chunked). */
    long length();

    /** Writes the body; called at most once by a transport. Does not close {@code out}. */
    void writeTo(OutputStream out) throws IOException;

    /** A body of these bytes. */
    static ResponseBody of(byte[] bytes) {
        byte[] copy = bytes.clone();
        return new ResponseBody() {
            @Override
            public long length() {
                return copy.length;
            }

            @Override
            public void writeTo(OutputStream out) throws IOException {
                out.write(copy);
            }
        };
    }

    /** Reads the whole body into memory; for tests and small bodies. */
    default byte[] toByteArray() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
