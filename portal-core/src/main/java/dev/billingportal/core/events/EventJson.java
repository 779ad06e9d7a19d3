package dev.billingportal.core.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.billingportal.core.internal.ApiJson;

/** The JSON form of an event: what the outbox stores and a webhook posts. */
public final class EventJson {
    private EventJson() {
    }

    /**
     * {@code {"id":...,"type":...,"timestamp":...,"tenant_id":...,"customer_id":...,"session_id":...,"data":{...}}},
     * the envelope of Standard Webhooks ({@code type}, {@code timestamp}, {@code data}) with the portal's ids.
     *
     * @param event the event
     * @return its JSON text
     */
    public static String payload(PortalEvent event) {
        ObjectNode node = ApiJson.MAPPER.createObjectNode();
        node.put("id", event.id());
        node.put("type", event.type());
        node.put("timestamp", event.occurredAt().toString());
        node.put("tenant_id", event.customer().tenantId());
        node.put("customer_id", event.customer().externalId());
        node.put("session_id", event.sessionId());
        node.set("data", ApiJson.MAPPER.valueToTree(event.data()));
        try {
            return ApiJson.MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an event's data must be plain JSON values", e);
        }
    }
}
