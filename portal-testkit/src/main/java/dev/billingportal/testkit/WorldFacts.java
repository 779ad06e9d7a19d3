package dev.billingportal.testkit;

import dev.billingportal.core.invoices.Invoice;
import dev.billingportal.core.invoices.InvoiceQuery;
import dev.billingportal.core.invoices.InvoiceSearch;
import dev.billingportal.core.invoices.InvoiceStatus;
import dev.billingportal.testkit.PortalWorld.Who;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static dev.billingportal.testkit.PortalWorld.TODAY;

/**
 * The facts about the seeded data of {@link PortalWorld}, the world of {@link PortalIsolationContract} and
 * {@link PortalApiFuzzContract}: every invoice and invoice id, what the portal must show and answer each customer, and
 * the markers only the other customers' data contains (finding one in a response is a leak). It reads the world's
 * invoices by customer and what its providers were seeded with; it changes neither.
 */
final class WorldFacts {
    /** The world's invoices of each customer, as seeded. */
    private final Map<Who, List<Invoice>> invoices;
    /** The world's providers, for what they were seeded with. */
    private final WorldProviders providers;

    /** Facts about {@code invoices} (the world's map, filled as the world seeds the storage) and {@code providers}. */
    WorldFacts(Map<Who, List<Invoice>> invoices, WorldProviders providers) {
        this.invoices = invoices;
        this.providers = providers;
    }

    /** Every invoice of every customer, drafts included. */
    List<Invoice> allInvoices() {
        return invoices.values().stream().flatMap(List::stream).toList();
    }

    /** Every invoice id of the world, in any tenant. */
    Set<String> allIds() {
        return allInvoices().stream().map(Invoice::id).collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /** The invoice of {@code who} with this id that the portal shows (not a draft), if any. */
    Optional<Invoice> visible(Who who, String id) {
        return invoices.get(who).stream().filter(i -> i.id().equals(id) && i.status().visibleInPortal()).findFirst();
    }

    /** What the portal must answer {@code who} for {@code query}, ignoring its limit and cursor. */
    List<Invoice> expected(Who who, InvoiceQuery query) {
        Set<InvoiceStatus> statuses = query.statuses().isEmpty() ? TestData.PORTAL_STATUSES : query.statuses();
        InvoiceSearch search = new InvoiceSearch(statuses, query.paymentStatuses(), query.overdueOnly(),
                query.issuedFrom(), query.issuedTo(), query.search(), TODAY, null, InvoiceSearch.MAX_LIMIT);
        return TestData.expectedPage(allInvoices(), who.scope(), search);
    }

    /**
     * Texts that only the other customers' data contains: names, e-mails, number suffixes, tax ids, return URLs and
     * the ids of invoices {@code viewer} has none of.
     */
    Set<String> foreignMarkers(Who viewer) {
        Set<String> markers = new LinkedHashSet<>();
        Set<String> ownIds = invoices.get(viewer).stream().map(Invoice::id).collect(Collectors.toSet());
        for (Who other : viewer.others()) {
            markers.add(other.name);
            markers.add(other.email);
            markers.add(other.suffix);
            markers.add(other.returnUrl().toString());
            invoices.get(other).stream().map(Invoice::id).filter(id -> !ownIds.contains(id)).forEach(markers::add);
            providers.seededSubscriptions.get(other).keySet().stream()
                    .filter(id -> !providers.seededSubscriptions.get(viewer).containsKey(id)).forEach(markers::add);
            providers.seededPaymentMethods(other).stream()
                    .filter(id -> !providers.seededPaymentMethods(viewer).contains(id)).forEach(markers::add);
            providers.seededWallets.get(other).keySet().stream()
                    .filter(id -> !providers.seededWallets.get(viewer).containsKey(id)).forEach(markers::add);
        }
        return markers;
    }

    /** Every customer's markers: none may appear where no customer is authenticated. */
    Set<String> allMarkers() {
        Set<String> markers = new LinkedHashSet<>();
        for (Who who : Who.values()) {
            markers.add(who.name);
            markers.add(who.email);
            markers.add(who.suffix);
        }
        return markers;
    }
}
