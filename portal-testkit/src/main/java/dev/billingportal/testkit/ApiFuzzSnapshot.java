package dev.billingportal.testkit;

import dev.billingportal.core.audit.AuditTrail;
import dev.billingportal.core.invoices.InvoiceSearch;
import dev.billingportal.core.invoices.InvoiceStatus;
import dev.billingportal.core.session.SessionRecord;
import dev.billingportal.testkit.PortalWorld.Who;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the storage holds, read back through the repositories: {@link PortalApiFuzzContract} compares it after the
 * fuzz with the state before, changed by the {@link ApiFuzzLegitimateWrites} only.
 */
record ApiFuzzSnapshot(Map<String, Object> state) {
    static ApiFuzzSnapshot of(PortalWorld world, PortalStorage storage, List<String> sessionIds) {
        Map<String, Object> state = new TreeMap<>();
        for (Who who : Who.values()) {
            state.put("customer " + who, storage.customers().findByExternalId(who.ref()));
            state.put("customer by id " + who, storage.customers().findById(who.tenant, who.id));
            for (String id : world.allIds()) {
                state.put("invoice " + who + " " + id, storage.invoices().findById(who.scope(), id));
            }
            state.put("invoices " + who, storage.invoices().find(who.scope(), new InvoiceSearch(
                    EnumSet.complementOf(EnumSet.of(InvoiceStatus.DRAFT)), Set.of(), false, null, null, null,
                    PortalWorld.TODAY, null, InvoiceSearch.MAX_LIMIT)));
            state.put("overview " + who, storage.invoices().overview(who.scope(), PortalWorld.TODAY));
            for (String sessionId : sessionIds) {
                state.put("session " + who + " " + sessionId, storage.sessions().find(who.ref(), sessionId));
            }
            // with their details: the before/after values must read back as the portal wrote them
            state.put("audit " + who, Set.copyOf(storage.audit().find(who.ref(), PortalWorld.NOW.minus(Duration.ofDays(1)),
                    AuditTrail.MAX_FIND_LIMIT)));
        }
        return new ApiFuzzSnapshot(state);
    }

    /** This state, changed only by the legitimate writes: links exchanged, activity touched, events audited. */
    @SuppressWarnings("unchecked")
    ApiFuzzSnapshot after(ApiFuzzLegitimateWrites legitimate) {
        Map<String, Object> changed = new TreeMap<>(state);
        changed.replaceAll((key, value) -> {
            if (key.startsWith("session ") && value instanceof Optional<?> found && found.isPresent()) {
                SessionRecord session = (SessionRecord) found.get();
                if (legitimate.exchangedLinks.contains(session.id())) {
                    return Optional.of(session.exchangedAt(PortalWorld.NOW));
                }
                if (legitimate.touched.contains(session.id())) {
                    return Optional.of(session.lastSeenAt(PortalWorld.NOW));
                }
            }
            for (Map.Entry<Who, dev.billingportal.core.domain.Customer> edit : legitimate.edited.entrySet()) {
                if (key.equals("customer " + edit.getKey()) || key.equals("customer by id " + edit.getKey())) {
                    return Optional.of(edit.getValue());
                }
            }
            if (key.startsWith("audit ")) {
                Set<Object> events = new java.util.HashSet<>((Set<Object>) value);
                String who = key.substring("audit ".length());
                legitimate.audited.stream().filter(event -> Who.valueOf(whoName(who)).ref().equals(event.customer()))
                        .forEach(events::add);
                return Set.copyOf(events);
            }
            return value;
        });
        return new ApiFuzzSnapshot(changed);
    }

    private static String whoName(String display) {
        for (Who who : Who.values()) {
            if (who.toString().equals(display)) {
                return who.name();
            }
        }
        throw new IllegalArgumentException(display);
    }
}
