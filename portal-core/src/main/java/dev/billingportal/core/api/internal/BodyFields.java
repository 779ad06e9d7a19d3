package dev.billingportal.core.api.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.billingportal.core.PortalException;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the fields of a JSON body, collecting every problem (unknown field, wrong type, too long) under the field's
 * name, so one {@code 422} names them all. Not API.
 */
public final class BodyFields {
    private final ObjectNode body;
    private final String prefix;
    private final Map<String, List<String>> problems;

    private BodyFields(ObjectNode body, String prefix, Map<String, List<String>> problems) {
        this.body = body;
        this.prefix = prefix;
        this.problems = problems;
    }

    /**
     * The fields of {@code body}, refusing any not in {@code allowed}.
     *
     * @param body    the body
     * @param allowed the field names the route knows
     * @return a reader
     */
    public static BodyFields of(ObjectNode body, Set<String> allowed) {
        BodyFields fields = new BodyFields(body, "", new LinkedHashMap<>());
        fields.refuseUnknown(allowed);
        return fields;
    }

    private void refuseUnknown(Set<String> allowed) {
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!allowed.contains(name)) {
                problem(name, "unknown field");
            }
        }
    }

    /** Whether the body has this field (even as null). */
    public boolean has(String name) {
        return body.has(name);
    }

    /** The names of the body's fields, in order. */
    public List<String> names() {
        List<String> names = new ArrayList<>();
        body.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /**
     * A string or null field of at most {@code maxLength} characters; any other type is a problem.
     *
     * @return the value, or null when absent, null or wrong
     */
    public String string(String name, int maxLength) {
        JsonNode value = body.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            problem(name, "must be a string");
            return null;
        }
        String text = value.asText();
        if (text.length() > maxLength) {
            problem(name, "must be at most " + maxLength + " characters");
            return null;
        }
        return text;
    }

    /**
     * A nested object field, read with its own allowed names; problems are named {@code name.field}.
     *
     * @return a reader, or null when the field is absent or null (a wrong type is a problem)
     */
    public BodyFields object(String name, Set<String> allowed) {
        JsonNode value = body.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isObject()) {
            problem(name, "must be an object");
            return null;
        }
        BodyFields nested = new BodyFields((ObjectNode) value, prefix + name + ".", problems);
        nested.refuseUnknown(allowed);
        return nested;
    }

    /** Records a problem with a field. */
    public void problem(String name, String problem) {
        problems.computeIfAbsent(prefix + name, n -> new ArrayList<>()).add(problem);
    }

    /** Records the problems of a {@code VALIDATION_ERROR}, under this reader's prefix. */
    public void problems(PortalException e) {
        e.details().forEach((field, list) -> list.forEach(p -> problem(field, p)));
    }

    /**
     * Ends reading: throws when any problem was recorded.
     *
     * @throws PortalException {@code VALIDATION_ERROR} naming every problem
     */
    public void done() {
        if (!problems.isEmpty()) {
            throw PortalException.invalid(problems);
        }
    }
}
