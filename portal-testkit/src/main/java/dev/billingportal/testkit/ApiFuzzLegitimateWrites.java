package dev.billingportal.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.billingportal.core.api.PortalResponse;
import dev.billingportal.core.audit.AuditEvent;
import dev.billingportal.core.audit.AuditEventType;
import dev.billingportal.core.session.LinkMode;
import dev.billingportal.core.session.SessionRecord;
import dev.billingportal.testkit.ApiFuzzGenerator.Generated;
import dev.billingportal.testkit.ApiFuzzWriteRoutes.PaymentWrite;
import dev.billingportal.testkit.PortalWorld.Who;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.billingportal.testkit.ApiFuzzWriteRoutes.PAYMENT_WRITES;
import static dev.billingportal.testkit.ApiFuzzWriteRoutes.SUBSCRIPTION_WRITES;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The only writes a request may make: an exchange that succeeded (201) stores the session, marks the link and
 * audits it; an exchange of a used link audits the replay; a download that was handed out audits it; an
 * exchanged session's activity may be touched; a profile edit, a subscription change, cancellation or resume, a
 * payment action (setup, default or pay, with the return link it mints) and a wallet top-up write the owner's data
 * through its provider and audit it. Anything else, or any of these without its response, fails.
 *
 * <p>{@link PortalApiFuzzContract} hands it each request's writes, and at the end reads from it what the stored
 * state must have become ({@link ApiFuzzSnapshot#after}) and asserts its floors of legitimate writes.
 */
final class ApiFuzzLegitimateWrites {
    private static final ObjectMapper JSON = new ObjectMapper();

    final List<SessionRecord> created = new ArrayList<>();
    final Set<String> exchangedLinks = new java.util.LinkedHashSet<>();
    final Set<String> touched = new java.util.LinkedHashSet<>();
    final List<AuditEvent> audited = new ArrayList<>();
    /** Each customer as the last legitimate profile edit left them. */
    final Map<Who, dev.billingportal.core.domain.Customer> edited = new java.util.EnumMap<>(Who.class);
    int replays;
    int downloads;
    int profileEdits;
    final Map<AuditEventType, Integer> subscriptionActions = new java.util.EnumMap<>(AuditEventType.class);
    final Map<AuditEventType, Integer> paymentActions = new java.util.EnumMap<>(AuditEventType.class);
    int topUps;

    /**
     * A hand-off to the provider's page (a setup, a payment) first mints a return link of the owner's session
     * ({@code SessionService.returnLink}: a session record of the owner naming the session it resumes, living at
     * most an hour), and takes it back (revokes it) when the payment needed no hosted page: both are legitimate
     * and are checked and taken out here; any other write is left for the rules below.
     */
    private static void stripReturnLink(List<WriteGuard.Write> rest, Generated generated) {
        if (rest.isEmpty() || !rest.get(0).operation().equals("PortalSessionRepository.create")) {
            return;
        }
        assertThat(generated.paymentWrite().operation()).as("a return link minted for a route without a hand-off")
                .isIn("PaymentMethodProvider.startSetup", "PaymentMethodProvider.payInvoice");
        assertThat(generated.owner()).as("a return link for a request without a valid token").isNotNull();
        SessionRecord link = (SessionRecord) rest.get(0).subject();
        assertThat(link.customer()).as("the return link's customer").isEqualTo(generated.owner().ref());
        assertThat(link.linkId()).as("a return link names the session it resumes").isNotNull();
        assertThat(Duration.between(link.issuedAt(), link.expiresAt())).as("a return link lives at most an hour")
                .isLessThanOrEqualTo(Duration.ofHours(1));
        rest.remove(0);
        rest.removeIf(write -> write.operation().equals("PortalSessionRepository.revoke")
                && link.id().equals(write.subject()));
    }

    void check(PortalWorld world, ApiFuzzMaterial material, Generated generated, PortalResponse response,
               List<WriteGuard.Write> writes) throws IOException {
        List<String> operations = writes.stream().map(WriteGuard.Write::operation).toList();
        List<WriteGuard.Write> rest = new ArrayList<>(writes);
        rest.removeIf(write -> write.operation().equals("PortalSessionRepository.touch"));
        for (WriteGuard.Write write : writes) {
            if (write.operation().equals("PortalSessionRepository.touch")) {
                assertThat(generated.owner()).as("a touch for a request with no valid session token").isNotNull();
                touched.add((String) write.subject());
            }
        }
        if (generated.paymentWrite() != null) {
            stripReturnLink(rest, generated);
        }
        String code = response.status() >= 400 && response.body().length() != 0
                ? JSON.readTree(response.body().toByteArray()).path("code").asText() : "";
        if (generated.exchange() && response.status() == 201) {
            assertThat(generated.mode()).isEqualTo(LinkMode.ONE_TIME);
            assertThat(rest).extracting(WriteGuard.Write::operation).as("writes of an exchange").containsExactly(
                    "PortalSessionRepository.create", "PortalSessionRepository.markExchanged", "AuditTrail.record");
            SessionRecord session = (SessionRecord) rest.get(0).subject();
            String link = (String) rest.get(1).subject();
            AuditEvent event = (AuditEvent) rest.get(2).subject();
            ApiFuzzMaterial.Link presented = material.links.get(link);
            assertThat(presented).as("the link exchanged is one of the fuzz's").isNotNull();
            assertThat(exchangedLinks.add(link)).as("link %s exchanged a second time", link).isTrue();
            assertThat(session.linkId()).isEqualTo(link);
            assertThat(session.customer()).as("the exchanged session's customer").isEqualTo(presented.owner().ref());
            assertThat(event.type()).isEqualTo(AuditEventType.SESSION_EXCHANGED);
            assertThat(event.customer()).isEqualTo(presented.owner().ref());
            assertThat(event.sessionId()).isEqualTo(session.id());
            assertThat(event.linkId()).isEqualTo(link);
            created.add(session);
            audited.add(event);
        } else if (generated.exchange() && code.equals("link_already_used")) {
            assertThat(rest).extracting(WriteGuard.Write::operation).as("writes of a refused replay")
                    .containsExactly("AuditTrail.record");
            AuditEvent event = (AuditEvent) rest.get(0).subject();
            assertThat(event.type()).isEqualTo(AuditEventType.LINK_REPLAY_REFUSED);
            assertThat(exchangedLinks).as("a replayed link was exchanged before").contains(event.sessionId());
            assertThat(event.customer()).isEqualTo(material.links.get(event.sessionId()).owner().ref());
            audited.add(event);
            replays++;
        } else if (generated.profileEdit() && response.status() == 200 && !rest.isEmpty()) {
            assertThat(response.header("Idempotent-Replayed")).as("a replayed answer acted again").isEmpty();
            assertThat(rest).extracting(WriteGuard.Write::operation).as("writes of a profile edit")
                    .containsExactly("CustomerRepository.update", "AuditTrail.record");
            assertThat(generated.owner()).as("a profile edit without a valid token").isNotNull();
            assertThat(rest.get(0).subject()).as("the customer whose profile changed").isEqualTo(generated.owner().scope());
            AuditEvent event = (AuditEvent) rest.get(1).subject();
            assertThat(event.type()).isEqualTo(AuditEventType.CUSTOMER_UPDATED);
            assertThat(event.customer()).isEqualTo(generated.owner().ref());
            assertThat(event.details()).as("before and after values").isNotBlank();
            JsonNode customer = JSON.readTree(response.body().toByteArray()).get("customer");
            assertThat(customer.get("external_id").asText()).isEqualTo(generated.owner().externalId);
            edited.put(generated.owner(), world.storedCustomer(generated.owner()));
            audited.add(event);
            profileEdits++;
        } else if (generated.subscriptionWrite() != null && response.status() == 200 && !rest.isEmpty()) {
            assertThat(response.header("Idempotent-Replayed")).as("a replayed answer acted again").isEmpty();
            String operation = switch (generated.subscriptionWrite()) {
                case SUBSCRIPTION_CHANGED -> "SubscriptionProvider.change";
                case SUBSCRIPTION_CANCELED -> "SubscriptionProvider.cancel";
                default -> "SubscriptionProvider.resume";
            };
            assertThat(rest).extracting(WriteGuard.Write::operation).as("writes of a subscription action")
                    .containsExactly(operation, "AuditTrail.record");
            assertThat(generated.owner()).as("a subscription action without a valid token").isNotNull();
            assertThat(rest.get(0).subject()).as("whose subscription was written").isEqualTo(generated.owner().scope());
            AuditEvent event = (AuditEvent) rest.get(1).subject();
            assertThat(event.type()).isEqualTo(generated.subscriptionWrite());
            assertThat(event.details()).as("the action's details").contains("\"subscription_id\"");
            assertThat(event.customer()).isEqualTo(generated.owner().ref());
            JsonNode subscription = JSON.readTree(response.body().toByteArray()).get("subscription");
            assertThat(world.seededSubscriptions.get(generated.owner())).as("the subscription acted on is the owner's")
                    .containsKey(subscription.get("id").asText());
            audited.add(event);
            subscriptionActions.merge(generated.subscriptionWrite(), 1, Integer::sum);
        } else if (generated.paymentWrite() != null && response.status() < 300 && !rest.isEmpty()) {
            assertThat(response.header("Idempotent-Replayed")).as("a replayed answer acted again").isEmpty();
            PaymentWrite write = generated.paymentWrite();
            assertThat(rest).extracting(WriteGuard.Write::operation).as("writes of a payment action")
                    .containsExactly(write.operation(), "AuditTrail.record");
            assertThat(generated.owner()).as("a payment action without a valid token").isNotNull();
            assertThat(rest.get(0).subject()).as("whose payments were written").isEqualTo(generated.owner().scope());
            AuditEvent event = (AuditEvent) rest.get(1).subject();
            assertThat(event.type()).isEqualTo(write.audited());
            assertThat(event.customer()).isEqualTo(generated.owner().ref());
            if (write.audited() == AuditEventType.INVOICE_PAYMENT_STARTED) {
                assertThat(world.visible(generated.owner(), event.invoiceId())).as("invoice paid is the owner's")
                        .isPresent();
            }
            audited.add(event);
            paymentActions.merge(write.audited(), 1, Integer::sum);
        } else if (generated.paymentWrite() != null && code.equals("invoice_not_payable")
                && rest.stream().map(WriteGuard.Write::operation).toList()
                .equals(List.of("PaymentMethodProvider.payInvoice"))) {
            // the provider refused a second charge of an invoice it charged already: nothing was written
            assertThat(rest.get(0).subject()).isEqualTo(generated.owner().scope());
        } else if (generated.topUp() && response.status() == 201 && !rest.isEmpty()) {
           // exactly the owner's provider write and its audit record
            assertThat(response.header("Idempotent-Replayed")).as("a replayed answer acted again").isEmpty();
            assertThat(rest).extracting(WriteGuard.Write::operation).as("writes of a top-up")
                    .containsExactly("WalletProvider.topUp", "AuditTrail.record");
            assertThat(generated.owner()).as("a top-up without a valid token").isNotNull();
            assertThat(rest.get(0).subject()).as("whose wallet was topped up").isEqualTo(generated.owner().scope());
            AuditEvent event = (AuditEvent) rest.get(1).subject();
            assertThat(event.type()).isEqualTo(AuditEventType.WALLET_TOP_UP_REQUESTED);
            assertThat(event.customer()).isEqualTo(generated.owner().ref());
            assertThat(event.details()).as("the top-up's details").contains("\"wallet_id\"", "\"credits\"");
            JsonNode transaction = JSON.readTree(response.body().toByteArray()).get("wallet_transaction");
            assertThat(world.seededWallets.get(generated.owner())).as("the wallet topped up is the owner's")
                    .containsKey(transaction.get("wallet_id").asText());
            assertThat(transaction.get("status").asText()).isEqualTo("pending");
            BigDecimal credits = new BigDecimal(transaction.get("credits").asText());
            assertThat(credits).as("rule: inside the configured limits")
                    .isBetween(PortalWorld.MIN_TOP_UP, PortalWorld.MAX_TOP_UP);
            audited.add(event);
            topUps++;
        } else if (generated.download() && response.status() < 400) {
            assertThat(rest).extracting(WriteGuard.Write::operation).as("writes of a download")
                    .containsExactly("AuditTrail.record");
            AuditEvent event = (AuditEvent) rest.get(0).subject();
            assertThat(event.type()).isEqualTo(AuditEventType.INVOICE_DOWNLOADED);
            assertThat(generated.owner()).isNotNull();
            assertThat(event.customer()).isEqualTo(generated.owner().ref());
            assertThat(world.visible(generated.owner(), event.invoiceId())).as("invoice downloaded").isPresent();
            audited.add(event);
            downloads++;
        } else {
            assertThat(rest).as("writes of a request that may write nothing (all writes: %s)", operations).isEmpty();
        }
    }

    void assertCovered(int requests) {
        double share = requests / 20_000.0; // half the rate of the default seed's run, for other seeds and sizes
        assertThat(created).as("exchanges").hasSizeGreaterThan((int) (20 * share));
        assertThat(replays).as("replays refused").isGreaterThan((int) (10 * share));
        assertThat(downloads).as("downloads").isGreaterThan((int) (10 * share));
        assertThat(profileEdits).as("profile edits").isGreaterThan((int) (10 * share));
        for (AuditEventType type : SUBSCRIPTION_WRITES.values()) {
            assertThat(subscriptionActions.getOrDefault(type, 0)).as("subscription actions %s", type)
                    .isGreaterThan((int) (10 * share));
        }
        for (PaymentWrite write : PAYMENT_WRITES.values()) {
            assertThat(paymentActions.getOrDefault(write.audited(), 0)).as("payment actions %s", write.audited())
                    .isGreaterThan((int) (10 * share));
        }
        assertThat(topUps).as("wallet top-ups").isGreaterThan((int) (10 * share));
    }

    @Override
    public String toString() {
        return created.size() + " exchanges, " + replays + " replays refused, " + downloads + " downloads, "
                + profileEdits + " profile edits, " + subscriptionActions + " subscription actions, " + paymentActions
                + " payment actions, " + topUps + " top-ups, " + touched.size()
                + " sessions touched";
    }
}
