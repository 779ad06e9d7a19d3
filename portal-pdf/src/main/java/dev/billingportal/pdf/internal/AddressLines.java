package dev.billingportal.pdf.internal;

import dev.billingportal.core.domain.Address;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** An address as printed lines, in the order the post of its country expects, the country named in the document's language. */
final class AddressLines {
    /** Countries whose addresses end with "City, ST 12345". */
    private static final Set<String> CITY_STATE_ZIP = Set.of("US", "CA", "AU");

    private AddressLines() {
    }

    static List<String> of(Address address, Locale locale) {
        List<String> lines = new ArrayList<>(5);
        add(lines, address.line1());
        add(lines, address.line2());
        if (address.country() != null && CITY_STATE_ZIP.contains(address.country())) {
            add(lines, join(join(address.city(), ", ", address.state()), " ", address.zipcode()));
        } else {
            add(lines, join(address.zipcode(), " ", address.city()));
            add(lines, address.state());
        }
        if (address.country() != null) {
            add(lines, new Locale.Builder().setRegion(address.country()).build().getDisplayCountry(locale));
        }
        return lines;
    }

    private static String join(String a, String separator, String b) {
        if (a == null || a.isBlank()) {
            return b;
        }
        return b == null || b.isBlank() ? a : a + separator + b;
    }

    private static void add(List<String> lines, String line) {
        if (line != null && !line.isBlank()) {
            lines.add(line.strip());
        }
    }
}
