package dev.billingportal.core.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.util.TokenBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * JSON written once, by a {@link Writer} against a {@link JsonGenerator}, and had either as bytes (straight from the
 * generator: no tree of maps is built for a large answer, such as a page of invoices) or as a tree (for an answer
 * that nests it among others). Not API.
 */
public final class StreamedJson {

    /** Writes one JSON value. */
    @FunctionalInterface
    public interface Writer {
        /**
         * Writes the value.
         *
         * @param json the generator
         * @throws IOException from the generator
         */
        void write(JsonGenerator json) throws IOException;
    }

    private StreamedJson() {
    }

    /** The value's UTF-8 bytes. */
    public static byte[] bytes(Writer writer) {
        try (ByteArrayBuilder out = new ByteArrayBuilder(4096);
             JsonGenerator json = ApiJson.MAPPER.createGenerator(out)) {
            writer.write(json);
            json.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write JSON", e);
        }
    }

    /** The value as a tree, through a token buffer (no text in between). */
    public static JsonNode tree(Writer writer) {
        try (TokenBuffer buffer = new TokenBuffer(ApiJson.MAPPER, false)) {
            writer.write(buffer);
            return ApiJson.MAPPER.readTree(buffer.asParser(ApiJson.MAPPER));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write JSON", e);
        }
    }
}
