package dev.billingportal.core.session;

import dev.billingportal.core.ErrorCode;
import dev.billingportal.core.PortalException;
import dev.billingportal.core.PortalService;
import dev.billingportal.core.TestPortal;
import dev.billingportal.core.config.PortalConfiguration;
import dev.billingportal.core.config.ProfileSettings;
import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.memory.InMemoryPortalConfigurations;
import dev.billingportal.core.profile.ProfileField;
import dev.billingportal.core.token.TokenClaims;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Deep links: typed, validated when the session is created, stored with it and signed into its token. */
class FlowTest {
    private final TestPortal t = new TestPortal();
    private final InMemoryPortalConfigurations configurations = new InMemoryPortalConfigurations()
            .save("default", PortalConfiguration.builder().name("edit")
                    .profile(ProfileSettings.editable(ProfileField.EMAIL)).build());
    private final PortalService portal = t.service.toBuilder().configurations(configurations).build();

    @Test
    void aProfileFlowOpensWhenProfileEditsAreOn() {
        Customer alice = t.customer("alice");
        Flow flow = Flow.profileUpdate().afterCompletion(AfterCompletion.redirect(URI.create("https://app.example.com/done")));
        PortalSession session = portal.createSession(SessionRequest.forCustomer(alice.ref()).configuration("edit").flow(flow));
        assertThat(session.flow()).isEqualTo(flow);
        PortalContext ctx = portal.authenticate(session.token());
        assertThat(ctx.flow()).isEqualTo(flow);
        String claims = new String(Base64.getUrlDecoder().decode(session.token().split("\\.")[1]));
        assertThat(claims).as("the flow is signed into the token").contains("\"flw\"").contains("profile_update");
        assertThat(Flow.fromJson(flow.toJson())).isEqualTo(flow);
    }

    @Test
    void aFlowWhoseFeatureIsOffIsRefusedAtCreation() {
        Customer alice = t.customer("alice");
        assertThatThrownBy(() -> portal.createSession(SessionRequest.forCustomer(alice.ref()).flow(Flow.profileUpdate())))
                .isInstanceOfSatisfying(PortalException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
                    assertThat(e.details()).containsKey("flow");
                });
        for (Flow other : new Flow[] {Flow.invoicePay("inv-1"), Flow.subscriptionCancel("sub-1"),
                Flow.paymentMethodUpdate(), Flow.walletTopUp("w-1"), Flow.subscriptionUpdate("sub-1"),
                Flow.subscriptionUpdateConfirm("sub-1", "pro")}) {
            assertThatThrownBy(() -> portal.createSession(SessionRequest.forCustomer(alice.ref()).configuration("edit")
                    .flow(other))).as(other.type().jsonName()).isInstanceOf(PortalException.class);
        }
    }

    @Test
    void flowsNameExactlyWhatTheirTypeNeeds() {
        assertThatThrownBy(() -> new Flow(FlowType.INVOICE_PAY, null, null, null, null, null))
                .isInstanceOf(PortalException.class);
        assertThatThrownBy(() -> new Flow(FlowType.PROFILE_UPDATE, "sub-1", null, null, null, null))
                .isInstanceOf(PortalException.class);
        assertThatThrownBy(() -> AfterCompletion.redirect(URI.create("javascript:alert(1)")))
                .isInstanceOf(PortalException.class);
        assertThatThrownBy(() -> AfterCompletion.redirect(null)).isInstanceOf(PortalException.class);
        assertThat(AfterCompletion.hostedConfirmation(null).type()).isEqualTo(AfterCompletion.Type.HOSTED_CONFIRMATION);
    }

    @Test
    void aSessionWhoseStoredFlowDiffersFromItsTokenIsRefused() {
        Customer alice = t.customer("alice");
        PortalSession session = portal.createSession(SessionRequest.forCustomer(alice.ref()).configuration("edit")
                .flow(Flow.profileUpdate()));
        // Storage tampered with: the session row now names another flow than the one signed into the token.
        SessionRecord stored = t.sessions.findById(session.id()).orElseThrow();
        t.sessions.revoke(session.id(), TestPortal.NOW.minusSeconds(1));
        assertThat(stored.flow()).contains("profile_update");
        TokenClaims claims = new TokenClaims("billing-portal", "billing-portal", "alice", "default", TestPortal.NOW,
                TestPortal.NOW, TestPortal.NOW.plusSeconds(600), "ps_other", null, dev.billingportal.core.token.TokenKind.LINK,
                "edit", Flow.profileUpdate().toJson());
        String forged = dev.billingportal.core.token.JwtTokenSigner.hs256(t.keyRing).sign(claims);
        t.sessions.create(new SessionRecord("ps_other", alice.ref(), TestPortal.NOW, TestPortal.NOW.plusSeconds(600),
                null, null, "edit", null, null));
        assertThatThrownBy(() -> portal.authenticate(forged)).isInstanceOfSatisfying(PortalException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHORIZED));
    }
}
