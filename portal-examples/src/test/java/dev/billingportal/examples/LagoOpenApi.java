package dev.billingportal.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/** Lago's published OpenAPI document, with the response schema of an operation ready to validate against. */
final class LagoOpenApi {
    private static final String IRI = "https://lago.test/openapi.json";

    private final JsonNode document;
    private final JsonSchemaFactory factory;

    private LagoOpenApi(JsonNode document) {
        this.document = document;
        String json = document.toString();
        this.factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
                builder -> builder.schemaLoaders(loaders -> loaders.schemas(Map.of(IRI, json))));
    }

    static LagoOpenApi load() {
        Path file = SharedReference.require("lago-openapi.yaml");
        try {
            return new LagoOpenApi(new ObjectMapper(new YAMLFactory()).readTree(file.toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The JSON schema of {@code method path}'s {@code status} response, following a response {@code $ref}. */
    JsonSchema responseSchema(String path, String method, int status) {
        JsonNode response = document.path("paths").path(path).path(method).path("responses").path(String.valueOf(status));
        if (response.isMissingNode()) {
            throw new IllegalArgumentException("the spec has no " + status + " response for " + method + " " + path);
        }
        String pointer;
        if (response.has("$ref")) {
            pointer = response.get("$ref").asText().substring(1) + "/content/application~1json/schema";
        } else {
            pointer = "/paths/" + escape(path) + "/" + method + "/responses/" + status + "/content/application~1json/schema";
        }
        return factory.getSchema(SchemaLocation.of(IRI + "#" + pointer));
    }

    /** The violations of {@code body} against the schema (empty when it validates). */
    static Set<ValidationMessage> violations(JsonSchema schema, String body) {
        try {
            return schema.validate(new ObjectMapper().readTree(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1").replace("{", "%7B").replace("}", "%7D");
    }
}
