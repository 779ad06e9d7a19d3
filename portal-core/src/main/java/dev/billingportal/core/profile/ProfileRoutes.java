package dev.billingportal.core.profile;

import dev.billingportal.core.PortalException;
import dev.billingportal.core.api.ApiCall;
import dev.billingportal.core.api.PortalResponse;
import dev.billingportal.core.api.Route;
import dev.billingportal.core.api.RouteContributor;
import dev.billingportal.core.api.internal.BodyFields;
import dev.billingportal.core.api.internal.Http;
import dev.billingportal.core.api.internal.JsonBody;
import dev.billingportal.core.domain.Address;
import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.i18n.PortalLocales;
import dev.billingportal.core.internal.ApiJson;

import java.util.IllformedLocaleException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code GET /customer} (the profile) and {@code PATCH /customer} (change the fields the configuration allows;
 * addresses as objects of {@code line1}, {@code line2}, {@code city}, {@code state}, {@code zipcode} and
 * {@code country}, ISO 3166-1 alpha-2).
 */
public final class ProfileRoutes implements RouteContributor {
    /** {@code address_line1} and {@code address_line2} are what {@code GET /customer} answers (Lago's names). */
    private static final Set<String> ADDRESS_FIELDS = Set.of("line1", "line2", "address_line1", "address_line2", "city",
            "state", "zipcode", "country");
    /** Longest value of each text field, as the form enforces it too. */
    private static final Map<ProfileField, Integer> MAX_LENGTH = Map.of(ProfileField.NAME, 200,
            ProfileField.LEGAL_NAME, 200, ProfileField.EMAIL, 254, ProfileField.PHONE, 40, ProfileField.TAX_ID, 64);
    private static final Map<String, Integer> MAX_ADDRESS_LENGTH = Map.of("line1", 200, "line2", 200, "city", 100,
            "state", 100, "zipcode", 20, "country", 2);

    @Override
    public List<Route> routes() {
        return List.of(
                Route.get("/customer", null, call -> customer(call, call.context().customer())),
                Route.write("PATCH", "/customer", "profile", ProfileRoutes::update));
    }

    private static PortalResponse customer(ApiCall call, Customer customer) {
        return customer(customer, call.locale());
    }

    private static PortalResponse customer(Customer customer, Locale locale) {
        return Http.json(200, Http.wrap("customer", ApiJson.customer(customer, locale)));
    }

    private static PortalResponse update(ApiCall call) {
        Locale locale = call.locale(); // a bad parameter is refused before anything changes
        Set<String> names = new LinkedHashSet<>();
        for (ProfileField field : ProfileField.values()) {
            names.add(field.jsonName());
        }
        BodyFields body = BodyFields.of(call.body(), names);
        Set<ProfileField> editable = call.portal().profile().editableFields(call.context());
        CustomerUpdate.Builder update = CustomerUpdate.builder();
        for (String name : body.names()) {
            ProfileField field = ProfileField.ofJsonName(name).orElse(null);
            if (field == null) {
                continue; // reported as an unknown field
            }
            if (!editable.contains(field)) {
                body.problem(name, "not_editable");
                continue;
            }
            Object value = switch (field) {
                case BILLING_ADDRESS, SHIPPING_ADDRESS -> address(body, name);
                case DOCUMENT_LOCALE -> locale(body, name);
                default -> text(body, field, name);
            };
            update.set(field, value);
        }
        body.done();
        if (body.names().isEmpty()) {
            throw PortalException.invalid("body", "name at least one field to change");
        }
        Customer updated;
        try {
            updated = call.portal().profile().update(call.context(), update.build());
        } catch (PortalException e) {
            throw e.code() == dev.billingportal.core.ErrorCode.VALIDATION_ERROR ? renamed(e) : e;
        }
        return customer(updated, locale);
    }

    /** The domain names a few fields after Lago; the request named them after the profile fields. */
    private static PortalException renamed(PortalException e) {
        Map<String, List<String>> details = new java.util.LinkedHashMap<>();
        e.details().forEach((field, problems) -> details.put(
                field.equals("tax_identification_number") ? "tax_id" : field, problems));
        return PortalException.invalid(details);
    }

    private static String text(BodyFields body, ProfileField field, String name) {
        // Blanks around a value are not part of it: the limit applies to what is kept.
        String value = body.string(name, JsonBody.MAX_BYTES);
        if (value == null) {
            return null;
        }
        value = value.strip();
        if (value.isEmpty()) {
            return null; // an empty field clears the value, as an empty form field means
        }
        if (value.length() > MAX_LENGTH.get(field)) {
            body.problem(name, "must be at most " + MAX_LENGTH.get(field) + " characters");
            return null;
        }
        try {
            switch (field) {
                case EMAIL -> dev.billingportal.core.internal.Checks.optionalEmail(value, name);
                case PHONE -> dev.billingportal.core.internal.Checks.optionalPhone(value, name);
                default -> dev.billingportal.core.internal.Checks.optionalText(value, name);
            }
        } catch (PortalException e) {
            body.problems(e);
            return null;
        }
        return value;
    }

    private static Locale locale(BodyFields body, String name) {
        String tag = body.string(name, 35);
        if (tag == null || tag.isBlank()) {
            return null;
        }
        try {
            Locale locale = new Locale.Builder().setLanguageTag(tag).build();
            if (locale.getLanguage().isEmpty() || PortalLocales.match(locale).isEmpty()) {
                body.problem(name, "must be a supported language such as fr or pt-BR");
                return null;
            }
            return locale;
        } catch (IllformedLocaleException e) {
            body.problem(name, "must be a language tag such as fr or pt-BR");
            return null;
        }
    }

    private static Address address(BodyFields body, String name) {
        BodyFields fields = body.object(name, ADDRESS_FIELDS);
        if (fields == null) {
            return null; // null (or a wrong type, reported) clears nothing but the address itself
        }
        String[] values = new String[6];
        String[] order = {"line1", "line2", "city", "state", "zipcode", "country"};
        for (int i = 0; i < order.length; i++) {
            String name2 = order[i];
            if (i < 2 && fields.has("address_" + name2)) {
                if (fields.has(name2)) {
                    fields.problem("address_" + name2, "give " + name2 + " or address_" + name2 + ", not both");
                }
                name2 = "address_" + name2;
            }
            String value = fields.string(name2, JsonBody.MAX_BYTES);
            value = value == null || value.isBlank() ? null : value.strip();
            if (value != null && value.length() > MAX_ADDRESS_LENGTH.get(order[i])) {
                fields.problem(name2, "must be at most " + MAX_ADDRESS_LENGTH.get(order[i]) + " characters");
                value = null;
            }
            values[i] = value;
        }
        if (values[5] != null) {
            values[5] = values[5].toUpperCase(Locale.ROOT);
        }
        try {
            return new Address(values[0], values[1], values[2], values[3], values[4], values[5]);
        } catch (PortalException e) {
            e.details().forEach((field, problems) ->
                    problems.forEach(p -> body.problem(name + "." + field.replace("address.", ""), p)));
            return null;
        }
    }
}
