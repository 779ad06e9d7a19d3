package dev.billingportal.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.billingportal.core.ErrorCode;
import dev.billingportal.core.PortalException;
import dev.billingportal.core.PortalService;
import dev.billingportal.core.api.PortalResponse;
import dev.billingportal.core.invoices.BillingOverview;
import dev.billingportal.core.invoices.CurrencyOverview;
import dev.billingportal.core.invoices.InvoiceDocument;
import dev.billingportal.core.session.LinkMode;
import dev.billingportal.core.session.PortalContext;
import dev.billingportal.testkit.PortalWorld.Who;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The shared request and assertion helpers of {@link PortalIsolationContract}, part of that contract: the row running
 * as its checks see it (its link mode, the portal, tokens and contexts of that mode), requests asked as GET and as
 * HEAD, and the assertions every answer gets (200 for the viewer's own data, no other customer's data, the same
 * response as a missing id). The contract owns the state of the row (its link mode, its windows); this reads it.
 */
final class IsolationRun {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final PortalWorld world;
    private final Supplier<LinkMode> mode;
    private final IntSupplier windows;

    /**
     * Helpers over the contract's world, for the row the contract runs.
     *
     * @param world the world of the contract
     * @param mode the link mode of the row running, read at each call
     * @param windows a new window on each call (a number no row had before: audit time windows, fresh keys)
     */
    IsolationRun(PortalWorld world, Supplier<LinkMode> mode, IntSupplier windows) {
        this.world = world;
        this.mode = mode;
        this.windows = windows;
    }

    /** The link mode of the row running: its tokens come from, and its requests go to, the portal of that mode. */
    LinkMode mode() {
        return mode.get();
    }

    /** The next window: a number of its own for this row (its audit time window, its fresh idempotency key). */
    int nextWindow() {
        return windows.getAsInt();
    }

    /** The portal of the row's link mode. */
    PortalService portal() {
        return world.service(mode());
    }

    String token(Who viewer) {
        return world.login(viewer, mode()).token();
    }

    PortalContext context(Who viewer) {
        return portal().authenticate(token(viewer));
    }

    /** GET under the API's base path, also asked as HEAD, which must answer the same without a body. */
    PortalResponse api(String path, String query, String token) {
        return getAndHead(world.api.basePath() + path, query, token);
    }

    /** GET under the page's path, also asked as HEAD. */
    PortalResponse page(String path, String query, String token) {
        return getAndHead(world.api.uiPath() + path, query, token);
    }

    private PortalResponse getAndHead(String path, String query, String token) {
        PortalResponse get = world.call(mode(), "GET", path, query, token);
        PortalResponse head = world.call(mode(), "HEAD", path, query, token);
        assertThat(head.status()).as("HEAD %s", path).isEqualTo(get.status());
        assertThat(head.headers()).as("HEAD %s", path).isEqualTo(get.headers());
        assertThat(head.body().toByteArray()).as("HEAD %s body", path).isEmpty();
        assertThat(get.status()).as("GET %s", path).isLessThan(500);
        return get;
    }

    JsonNode ok(PortalResponse response, Who viewer) throws IOException {
        assertThat(response.status()).as("rule: %s reads their own data (200 expected); answer: %s", viewer,
                response.bodyAsString()).isEqualTo(200);
        assertNoForeignData(viewer, response);
        return json(response);
    }

    void assertNoForeignData(Who viewer, PortalResponse response) {
        String everything = response.headers() + "\n" + response.bodyAsString();
        Set<String> found = world.foreignMarkers(viewer).stream().filter(everything::contains).collect(Collectors.toSet());
        assertThat(found).as("rule: no response to %s carries another customer's data; found in: %s", viewer, everything)
                .isEmpty();
    }

    static void assertSameResponse(PortalResponse actual, PortalResponse expected, String what) {
        assertThat(actual.status()).as("%s: status", what).isEqualTo(expected.status());
        assertThat(actual.headers()).as("%s: headers", what).isEqualTo(expected.headers());
        assertThat(actual.bodyAsString()).as("%s: body", what).isEqualTo(expected.bodyAsString());
        assertThat(actual.body().toByteArray()).as("%s: body bytes", what).isEqualTo(expected.body().toByteArray());
    }

    static void assertServiceRefuses(ThrowingCallable call, ErrorCode code, String reason) {
        assertThatThrownBy(call).isInstanceOfSatisfying(PortalException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.reason()).isEqualTo(reason);
        });
    }

    static JsonNode json(PortalResponse response) {
        try {
            return JSON.readTree(response.body().toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    BillingOverview expectedOverview(Who viewer) {
        return TestData.expectedOverview(world.allInvoices(), viewer.scope(), PortalWorld.TODAY);
    }

    static Map<String, List<Long>> overviewRows(BillingOverview overview) {
        Map<String, List<Long>> rows = new TreeMap<>();
        for (CurrencyOverview row : overview.currencies()) {
            rows.put(row.currency().getCurrencyCode(), List.of(row.totalInvoiced().amountMinor(), row.overdue().amountMinor(),
                    row.overdueCount(), row.outstanding().amountMinor(), row.outstandingCount()));
        }
        return rows;
    }

    /** The same text with one character changed, so its MAC or signature no longer verifies. */
    static String tamper(String text) {
        int at = text.length() / 2;
        char c = text.charAt(at);
        return text.substring(0, at) + (c == 'A' ? 'B' : 'A') + text.substring(at + 1);
    }

    static byte[] read(InvoiceDocument.Stream stream) {
        try (InputStream in = stream.content().open()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
