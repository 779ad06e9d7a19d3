package dev.billingportal.core.events;

import dev.billingportal.core.CustomerRef;
import dev.billingportal.core.internal.Checks;
import dev.billingportal.core.profile.FieldChange;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A customer changed their own details in the portal.
 *
 * @param id         the event's id
 * @param customer   who
 * @param sessionId  the session they did it in
 * @param occurredAt when
 * @param changes    each changed field with its old and new value (unchanged fields are not listed)
 */
public record CustomerUpdated(String id, CustomerRef customer, String sessionId, Instant occurredAt,
                              List<FieldChange> changes) implements PortalEvent {

    /** Validates the event. */
    public CustomerUpdated {
        Checks.id(id, "id");
        Checks.required(customer, "customer");
        Checks.required(occurredAt, "occurred_at");
        changes = List.copyOf(Checks.required(changes, "changes"));
    }

    @Override
    public String type() {
        return "customer.updated";
    }

    @Override
    public Map<String, Object> data() {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (FieldChange change : changes) {
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("old", change.oldValue());
            values.put("new", change.newValue());
            fields.put(change.field(), values);
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("changes", fields);
        return data;
    }
}
