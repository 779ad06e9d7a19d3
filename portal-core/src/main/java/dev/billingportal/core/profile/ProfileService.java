package dev.billingportal.core.profile;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.billingportal.core.ErrorCode;
import dev.billingportal.core.PortalException;
import dev.billingportal.core.audit.AuditActor;
import dev.billingportal.core.audit.AuditEventType;
import dev.billingportal.core.domain.Address;
import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.events.CustomerUpdated;
import dev.billingportal.core.internal.ApiJson;
import dev.billingportal.core.internal.Auditor;
import dev.billingportal.core.internal.Checks;
import dev.billingportal.core.internal.EventPublisher;
import dev.billingportal.core.internal.Ids;
import dev.billingportal.core.internal.PortalRuntime;
import dev.billingportal.core.session.PortalContext;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The profile slice of {@code PortalService}: the customer reads and, where the session's configuration allows it,
 * changes their own details. A change goes to the host through {@link CustomerRepository#update}, is audited with
 * each field's old and new value, and announced as {@link CustomerUpdated}; all of it in one transaction when the
 * storage has them. Thread-safe.
 */
public final class ProfileService {
    private final PortalRuntime rt;
    private final Auditor auditor;
    private final EventPublisher events;

    /**
     * The slice over the service's settings; built by {@code PortalServiceBuilder}.
     *
     * @param rt      the service's settings
     * @param auditor writes the audit trail
     * @param events  announces events
     */
    public ProfileService(PortalRuntime rt, Auditor auditor, EventPublisher events) {
        this.rt = rt;
        this.auditor = auditor;
        this.events = events;
    }

    /** The customer, as authenticated. */
    public Customer customer(PortalContext ctx) {
        return Checks.required(ctx, "context").customer();
    }

    /**
     * The fields this session may edit: those of its configuration when profile edits are on and the customer
     * repository supports updates, else none.
     *
     * @param ctx the session
     * @return the editable fields (empty: editing is off)
     */
    public Set<ProfileField> editableFields(PortalContext ctx) {
        Checks.required(ctx, "context");
        return ctx.configuration().profile().on() && rt.customers().supportsUpdate()
                ? ctx.configuration().profile().editable() : Set.of();
    }

    /**
     * Changes the customer's own details.
     *
     * @param ctx    the session
     * @param update the fields to change
     * @return the customer after the change (the same customer when nothing changed: then nothing is written)
     * @throws PortalException {@code FORBIDDEN feature_disabled} when this session may edit nothing;
     *                         {@code VALIDATION_ERROR} with {@code not_editable} for each field outside the
     *                         configuration, or naming each invalid value; {@code UNAVAILABLE} when storage fails
     *                         (nothing changed)
     */
    public Customer update(PortalContext ctx, CustomerUpdate update) {
        Checks.required(update, "update");
        Set<ProfileField> editable = editableFields(ctx);
        if (editable.isEmpty()) {
            throw new PortalException(ErrorCode.FORBIDDEN, "feature_disabled", "profile edits are not enabled");
        }
        Map<String, List<String>> problems = new LinkedHashMap<>();
        for (ProfileField field : update.fields()) {
            if (!editable.contains(field)) {
                problems.put(field.jsonName(), List.of("not_editable"));
            }
        }
        if (!problems.isEmpty()) {
            throw PortalException.invalid(problems);
        }
        Customer before = ctx.customer();
        update.applyTo(before); // validates the whole result before anything is written
        List<FieldChange> changes = changes(before, update);
        if (changes.isEmpty()) {
            return before;
        }
        CustomerUpdated event = new CustomerUpdated(Ids.event(), ctx.customerRef(), ctx.sessionId(),
                rt.clock().instant(), changes);
        Customer after = rt.transactions().inTransaction(() -> {
            Customer stored = rt.customers().update(ctx.scope(), update);
            try {
                auditor.inTransaction(auditor.event(AuditEventType.CUSTOMER_UPDATED, ctx.customerRef(),
                        AuditActor.CUSTOMER, ctx.sessionId(), null, null, ctx.client()).withDetails(details(changes)));
                events.inTransaction(event);
            } catch (RuntimeException e) {
                undo(ctx, before, update, e); // without a transaction: no write without its audit record and event
                throw e;
            }
            return stored;
        });
        events.afterCommit(event);
        return after;
    }

    /** Puts the old values back (storage without transactions); a failure to do so is attached to the first. */
    private void undo(PortalContext ctx, Customer before, CustomerUpdate update, RuntimeException failure) {
        CustomerUpdate.Builder back = CustomerUpdate.builder();
        for (ProfileField field : update.fields()) {
            back.set(field, valueOf(before, field));
        }
        try {
            rt.customers().update(ctx.scope(), back.build());
        } catch (RuntimeException alsoFailed) {
            failure.addSuppressed(alsoFailed);
        }
    }

    private static List<FieldChange> changes(Customer before, CustomerUpdate update) {
        List<FieldChange> changes = new ArrayList<>();
        for (ProfileField field : update.fields()) {
            Object old = valueOf(before, field);
            Object now = update.values().get(field);
            if (field == ProfileField.BILLING_ADDRESS || field == ProfileField.SHIPPING_ADDRESS) {
                old = Address.EMPTY.equals(old) ? null : old;
                now = Address.EMPTY.equals(now) ? null : now;
            }
            if (!Objects.equals(old, now)) {
                changes.add(new FieldChange(field.jsonName(), text(old), text(now)));
            }
        }
        return changes;
    }

    static Object valueOf(Customer c, ProfileField field) {
        return switch (field) {
            case NAME -> c.name();
            case LEGAL_NAME -> c.legalName();
            case EMAIL -> c.email();
            case PHONE -> c.phone();
            case TAX_ID -> c.taxId();
            case BILLING_ADDRESS -> c.billingAddress();
            case SHIPPING_ADDRESS -> c.shippingAddress();
            case DOCUMENT_LOCALE -> c.documentLocale();
        };
    }

    private static String text(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Locale locale) {
            return locale.toLanguageTag();
        }
        if (value instanceof Address address) {
            ObjectNode node = ApiJson.MAPPER.createObjectNode();
            node.put("line1", address.line1());
            node.put("line2", address.line2());
            node.put("city", address.city());
            node.put("state", address.state());
            node.put("zipcode", address.zipcode());
            node.put("country", address.country());
            return node.toString();
        }
        return value.toString();
    }

    private static String details(List<FieldChange> changes) {
        ObjectNode root = ApiJson.MAPPER.createObjectNode();
        for (FieldChange change : changes) {
            ObjectNode field = root.putObject(change.field());
            field.put("old", change.oldValue());
            field.put("new", change.newValue());
        }
        return root.toString();
    }
}
