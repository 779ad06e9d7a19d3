package dev.billingportal.core;

import dev.billingportal.core.session.PortalContext;
import dev.billingportal.core.session.SessionRequest;
import dev.billingportal.core.config.PortalConfiguration;
import dev.billingportal.core.config.ProfileSettings;
import dev.billingportal.core.profile.ProfileField;
import dev.billingportal.core.memory.InMemoryPortalConfigurations;

import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.session.PortalSession;
import dev.billingportal.core.token.JwtTokenSigner;
import dev.billingportal.core.token.KeyRing;
import dev.billingportal.core.token.SigningKey;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Per-tenant settings: who may frame the page of a link, and the tenant's language in the locale chain. */
class PortalServiceConfigurationTest {
    private static final List<String> ACME_ORIGINS = List.of("https://app.acme.example", "https://admin.acme.example");

    private final TestPortal t = new TestPortal();
    private final InMemoryPortalConfigurations configurations = new InMemoryPortalConfigurations()
            .saveDefault("acme", PortalConfiguration.builder().frameAncestors(ACME_ORIGINS).defaultLocale(Locale.GERMAN).build())
            .saveDefault("globex", PortalConfiguration.builder().frameAncestors("https://globex.example").build());
    private final PortalService portal = t.service.toBuilder().configurations(configurations).build();

    private PortalSession session(String tenant, String customer) {
        t.customer(tenant, customer, "UTC");
        return portal.createSession(SessionRequest.forCustomer(customer).tenant(tenant));
    }

    @Test
    void aLiveLinkMayBeFramedByItsTenantsOriginsOnly() {
        assertThat(portal.frameAncestorsFor(session("acme", "cus_1").token())).isEqualTo(ACME_ORIGINS);
        assertThat(portal.frameAncestorsFor(session("globex", "cus_1").token())).containsExactly("https://globex.example");
        assertThat(portal.frameAncestorsFor(session("initech", "cus_1").token())).isEmpty();
    }

    @Test
    void anExpiredOrRevokedButGenuineLinkKeepsItsTenantsOrigins() {
        // The customer must see the page's friendly error inside the host's frame, not a blocked frame.
        PortalSession expired = session("acme", "cus_1");
        PortalSession revoked = portal.createSession(SessionRequest.forCustomer("cus_1").tenant("acme"));
        portal.revokeSession(revoked.id());
        assertThat(portal.frameAncestorsFor(revoked.token())).isEqualTo(ACME_ORIGINS);
        t.clock.advance(Duration.ofDays(30));
        assertThat(portal.frameAncestorsFor(expired.token())).isEqualTo(ACME_ORIGINS);
    }

    @Test
    void aTokenThatDoesNotVerifyMayNotBeFramedAtAll() {
        String token = session("acme", "cus_1").token();
        String tamperedPayload = token.substring(0, token.indexOf('.') + 5) + (token.charAt(token.indexOf('.') + 5) == 'A' ? 'B' : 'A')
                + token.substring(token.indexOf('.') + 6);
        String tamperedSignature = token.substring(0, token.length() - 2) + (token.endsWith("AA") ? "BB" : "AA");
        PortalService otherKey = portal.toBuilder()
                .tokenSigner(JwtTokenSigner.hs256(KeyRing.of(SigningKey.generateHs256("other")))).build();
        PortalService otherAudience = portal.toBuilder().audience("someone-else").build();
        for (String bad : new String[] {null, "", "   ", "garbage", "a.b.c", tamperedPayload, tamperedSignature}) {
            assertThat(portal.frameAncestorsFor(bad)).as(String.valueOf(bad)).isEmpty();
        }
        assertThat(otherKey.frameAncestorsFor(token)).isEmpty();
        assertThat(otherAudience.frameAncestorsFor(token)).isEmpty();
    }

    @Test
    void theTenantsLanguageComesAfterTheSessionsAndTheCustomers() {
        Customer plain = t.customer("acme", "plain", "UTC");
        Customer french = t.customer("acme", "french", "UTC").toBuilder().documentLocale(Locale.FRENCH).build();
        t.customers.save(french);
        assertThat(portal.authenticate(portal.createSession(SessionRequest.forCustomer(plain.ref())).token()).locale())
                .isEqualTo(Locale.GERMAN);
        assertThat(portal.authenticate(portal.createSession(SessionRequest.forCustomer(french.ref())).token()).locale())
                .isEqualTo(Locale.FRENCH);
        assertThat(portal.authenticate(portal.createSession(SessionRequest.forCustomer(french.ref())
                .locale(Locale.forLanguageTag("ja-JP"))).token()).locale()).isEqualTo(Locale.forLanguageTag("ja-JP"));
        Customer elsewhere = t.customer("initech", "plain", "UTC");
        assertThat(portal.authenticate(portal.createSession(SessionRequest.forCustomer(elsewhere.ref())).token()).locale())
                .isEqualTo(Locale.ENGLISH);
    }

    @Test
    void languagesThePortalDoesNotSpeakAreSkippedInTheChain() {
        Customer korean = t.customer("acme", "korean", "UTC").toBuilder().documentLocale(Locale.KOREAN).build();
        t.customers.save(korean);
        // Korean documents, no session language: the tenant's German rather than English labels around Korean numbers.
        assertThat(portal.authenticate(portal.createSession(SessionRequest.forCustomer(korean.ref())).token()).locale())
                .isEqualTo(Locale.GERMAN);
        assertThat(portal.authenticate(portal.createSession(SessionRequest.forCustomer(korean.ref())
                .locale(Locale.forLanguageTag("zh-CN"))).token()).locale()).isEqualTo(Locale.GERMAN);
        Customer swiss = t.customer("acme", "swiss", "UTC").toBuilder().documentLocale(Locale.forLanguageTag("fr-CH")).build();
        t.customers.save(swiss);
        assertThat(portal.authenticate(portal.createSession(SessionRequest.forCustomer(swiss.ref())).token()).locale())
                .as("a supported language keeps its region for formats").isEqualTo(Locale.forLanguageTag("fr-CH"));
    }

    @Test
    void aSessionUsesTheConfigurationItNamesElseItsTenantsDefaultElseTheServices() {
        configurations.save("acme", PortalConfiguration.builder().name("read-only").frameAncestors("https://ro.acme.example")
                .profile(ProfileSettings.editable(ProfileField.EMAIL)).build());
        t.customer("acme", "cus_1", "UTC");
        t.customer("initech", "cus_1", "UTC");
        PortalContext named = portal.authenticate(portal.createSession(SessionRequest.forCustomer("cus_1").tenant("acme")
                .configuration("read-only")).token());
        assertThat(named.configuration().name()).isEqualTo("read-only");
        assertThat(named.configurationName()).isEqualTo("read-only");
        assertThat(portal.frameAncestorsFor(portal.createSession(SessionRequest.forCustomer("cus_1").tenant("acme")
                .configuration("read-only")).token())).containsExactly("https://ro.acme.example");
        PortalContext tenantDefault = portal.authenticate(portal.createSession(
                SessionRequest.forCustomer("cus_1").tenant("acme")).token());
        assertThat(tenantDefault.configuration().frameAncestors()).isEqualTo(ACME_ORIGINS);
        PortalContext serviceDefault = portal.authenticate(portal.createSession(
                SessionRequest.forCustomer("cus_1").tenant("initech")).token());
        assertThat(serviceDefault.configuration()).isEqualTo(PortalConfiguration.DEFAULT);
    }

    @Test
    void anUnknownConfigurationNameIsRefusedWhenTheSessionIsCreated() {
        t.customer("acme", "cus_1", "UTC");
        assertThatThrownBy(() -> portal.createSession(SessionRequest.forCustomer("cus_1").tenant("acme")
                .configuration("no-such")))
                .isInstanceOfSatisfying(PortalException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
                    assertThat(e.details()).containsKey("configuration");
                });
        // Another tenant's configuration name does not exist for this tenant either.
        configurations.save("globex", PortalConfiguration.builder().name("globex-only").build());
        assertThatThrownBy(() -> portal.createSession(SessionRequest.forCustomer("cus_1").tenant("acme")
                .configuration("globex-only"))).isInstanceOf(PortalException.class);
    }

    @Test
    void aSessionWhoseConfigurationWasDeletedIsRefusedNotWidenedToTheDefault() {
        configurations.save("acme", PortalConfiguration.builder().name("narrow").build());
        t.customer("acme", "cus_1", "UTC");
        String token = portal.createSession(SessionRequest.forCustomer("cus_1").tenant("acme").configuration("narrow")).token();
        configurations.delete("acme", "narrow");
        assertThatThrownBy(() -> portal.authenticate(token)).isInstanceOfSatisfying(PortalException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHORIZED);
            assertThat(e.reason()).isEqualTo("configuration_not_found");
        });
    }

    @Test
    void featuresReportOnlyWhatTheConfigurationEnablesAndAProviderBacks() {
        configurations.save("acme", PortalConfiguration.builder().name("edit").profile(
                ProfileSettings.editable(ProfileField.EMAIL, ProfileField.BILLING_ADDRESS)).build());
        t.customer("acme", "cus_1", "UTC");
        PortalContext edit = portal.authenticate(portal.createSession(SessionRequest.forCustomer("cus_1").tenant("acme")
                .configuration("edit")).token());
        assertThat(portal.features(edit).profileEditable()).containsExactly(ProfileField.EMAIL, ProfileField.BILLING_ADDRESS);
        assertThat(portal.features(edit).enabled("profile")).isTrue();
        assertThat(portal.features(edit).enabled("subscriptions")).as("no subscription provider").isFalse();
        PortalContext plain = portal.authenticate(portal.createSession(SessionRequest.forCustomer("cus_1").tenant("acme")).token());
        assertThat(portal.features(plain).enabled("profile")).as("profile edits are opt-in").isFalse();
        // A repository that cannot update (the SPI's default) turns profile edits off whatever the configuration says.
        PortalService readOnly = portal.toBuilder().customers(new ForwardingCustomers(t.customers)).build();
        PortalContext viaReadOnly = readOnly.authenticate(readOnly.createSession(SessionRequest.forCustomer("cus_1")
                .tenant("acme").configuration("edit")).token());
        assertThat(readOnly.features(viaReadOnly).enabled("profile")).isFalse();
    }

    @Test
    void theServiceDefaultLanguageMustBeOneThePortalSpeaks() {
        assertThatThrownBy(() -> PortalService.builder().defaultLocale(Locale.KOREAN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a supported portal language");
        assertThat(PortalService.builder().defaultLocale(Locale.forLanguageTag("pt-BR"))).isNotNull();
    }
}
