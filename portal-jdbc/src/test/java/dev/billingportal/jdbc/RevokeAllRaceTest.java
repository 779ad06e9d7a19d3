package dev.billingportal.jdbc;

import dev.billingportal.core.ClientInfo;
import dev.billingportal.core.CustomerRef;
import dev.billingportal.core.ErrorCode;
import dev.billingportal.core.session.LinkMode;
import dev.billingportal.core.PortalException;
import dev.billingportal.core.PortalService;
import dev.billingportal.core.session.SessionRequest;
import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.session.PortalSession;
import dev.billingportal.core.token.JwtTokenSigner;
import dev.billingportal.core.token.KeyRing;
import dev.billingportal.core.token.SigningKey;
import dev.billingportal.testkit.TestData;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * revokeAllSessions racing the exchange of one of the customer's one-time links, in the order that lost the
 * revocation (found by {@link PostgresConcurrencyTest}): the revocation has started (its statement's snapshot is taken)
 * and waits on a row lock; meanwhile the exchange stores its session and marks the link; then the revocation goes on
 * and revokes the link, but not the session, which it cannot see. revokeAll returned, yet the session exchanged from a
 * link it revoked still opened the portal. A row lock held by another transaction makes the order certain.
 */
class RevokeAllRaceTest {

    @Test
    @Timeout(60)
    @DisplayName("a session exchanged while revokeAllSessions runs is revoked with its link when revokeAllSessions returns")
    void revokeAllWinsOverAnExchangeInFlight() throws Exception {
        TestDatabase database = TestDatabase.postgres();
        JdbcPortalStore store = database.emptyStore(RevokeAllRaceTest.class);
        Customer customer = TestData.customer(TestData.TENANT, "cus-race");
        store.customers().save(customer);
        PortalService portal = PortalService.builder().customers(store.customers()).invoices(store.invoices())
                .sessions(store.sessions()).tokenSigner(JwtTokenSigner.hs256(KeyRing.of(SigningKey.generateHs256("race"))))
                .portalUrl(URI.create("https://billing.example.com/portal/")).linkMode(LinkMode.ONE_TIME).build();
        CustomerRef ref = customer.ref();
        PortalSession first = portal.createSession(SessionRequest.forCustomer(ref)); // revokeAll meets it first
        PortalSession link = portal.createSession(SessionRequest.forCustomer(ref));

        PortalSession exchanged;
        CompletableFuture<Integer> revokeAll;
        try (Connection blocker = database.dataSource().getConnection()) {
            blocker.setAutoCommit(false);
            try (PreparedStatement lock = blocker.prepareStatement(
                    "SELECT id FROM " + store.tablePrefix() + "sessions WHERE id = ? FOR UPDATE")) {
                lock.setString(1, first.id());
                lock.executeQuery().close();
            }
            revokeAll = CompletableFuture.supplyAsync(() -> portal.revokeAllSessions(ref));
            awaitBlockedUpdate(database, store.tablePrefix());
            exchanged = portal.exchange(link.token(), ClientInfo.UNKNOWN); // while revokeAll waits
            blocker.rollback();
        }
        assertThat(revokeAll.get(30, TimeUnit.SECONDS)).as("sessions revokeAll revoked").isGreaterThanOrEqualTo(2);

        assertThat(store.sessions().find(ref, link.id())).hasValueSatisfying(s -> assertThat(s.revoked()).isTrue());
        assertThatThrownBy(() -> portal.authenticate(exchanged.token()))
                .as("the session exchanged from a link revokeAllSessions revoked")
                .isInstanceOfSatisfying(PortalException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHORIZED);
                    assertThat(e.reason()).isEqualTo("session_revoked");
                });
    }

    /** Waits until a backend's UPDATE of the sessions table waits for a lock: revokeAll has started and is blocked. */
    private static void awaitBlockedUpdate(TestDatabase database, String prefix) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            try (Connection c = database.dataSource().getConnection();
                 PreparedStatement statement = c.prepareStatement("SELECT count(*) FROM pg_stat_activity "
                         + "WHERE wait_event_type = 'Lock' AND query LIKE ?")) {
                statement.setString(1, "%UPDATE " + prefix + "sessions SET revoked_at%");
                try (ResultSet rows = statement.executeQuery()) {
                    rows.next();
                    if (rows.getInt(1) > 0) {
                        return;
                    }
                }
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("revokeAllSessions never blocked on the locked row");
    }
}
