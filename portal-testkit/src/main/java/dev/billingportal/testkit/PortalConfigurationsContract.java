package dev.billingportal.testkit;

import dev.billingportal.core.config.Branding;
import dev.billingportal.core.config.BusinessProfile;
import dev.billingportal.core.config.InvoiceSettings;
import dev.billingportal.core.config.PaymentMethodSettings;
import dev.billingportal.core.config.PortalConfiguration;
import dev.billingportal.core.config.PortalConfigurations;
import dev.billingportal.core.config.ProfileSettings;
import dev.billingportal.core.config.WalletSettings;
import dev.billingportal.core.profile.ProfileField;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.net.URI;
import java.util.Locale;

import static dev.billingportal.testkit.TestData.OTHER_TENANT;
import static dev.billingportal.testkit.TestData.TENANT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contract of {@link PortalConfigurations} and of the editing methods its adapters share (portal-core's
 * {@code InMemoryPortalConfigurations}, portal-jdbc's {@code JdbcPortalConfigurations}: {@code save},
 * {@code saveDefault}, {@code delete}). Subclass it, implement {@link #createConfigurations()} and the three editing
 * methods by calling the adapter's, and run it as an ordinary JUnit Jupiter test class.
 *
 * <pre>{@code
 * class MyConfigurationsTest extends PortalConfigurationsContract {
 *     private MyConfigurations configurations;
 *
 *     @Override
 *     protected PortalConfigurations createConfigurations() {
 *         truncateTables();
 *         return configurations = new MyConfigurations(dataSource);
 *     }
 *
 *     @Override
 *     protected void save(String tenantId, PortalConfiguration c) { configurations.save(tenantId, c); }
 *     // saveDefault and delete alike
 * }
 * }</pre>
 *
 * <p>What it pins down: a configuration round-trips equal in every setting; names are exact and scoped to the
 * tenant; each tenant has at most one default, found with a null name; saving again replaces the settings without
 * changing which is the default; deleting the default leaves the tenant without one.
 */
public abstract class PortalConfigurationsContract {

    private PortalConfigurations configurations;

    /**
     * Return the configurations over EMPTY storage; called before each test.
     *
     * @return the adapter under test
     */
    protected abstract PortalConfigurations createConfigurations();

    /**
     * Stores (or replaces) a configuration of the tenant, as the adapter's {@code save} does.
     *
     * @param tenantId      the tenant
     * @param configuration the configuration
     */
    protected abstract void save(String tenantId, PortalConfiguration configuration);

    /**
     * Stores a configuration and makes it the tenant's default, as the adapter's {@code saveDefault} does.
     *
     * @param tenantId      the tenant
     * @param configuration the configuration
     */
    protected abstract void saveDefault(String tenantId, PortalConfiguration configuration);

    /**
     * Removes a configuration, as the adapter's {@code delete} does.
     *
     * @param tenantId the tenant
     * @param name     the configuration's name
     * @return whether it existed
     */
    protected abstract boolean delete(String tenantId, String name);

    /**
     * The adapter the current test runs against, for subclasses that add tests of their own.
     *
     * @return the adapter {@link #createConfigurations()} returned for this test
     */
    protected final PortalConfigurations configurations() {
        return configurations;
    }

    @BeforeEach
    final void createConfigurationsUnderTest() {
        configurations = createConfigurations();
        assertThat(configurations).as("createConfigurations()").isNotNull();
    }

    /** A configuration with every setting away from its default. */
    private static PortalConfiguration full(String name) {
        return PortalConfiguration.builder().name(name)
                .frameAncestors("https://app.example.com", "https://admin.example.com:8443")
                .defaultLocale(Locale.FRENCH).defaultReturnUrl(URI.create("https://app.example.com/settings"))
                .businessProfile(new BusinessProfile("Acme billing, über alles",
                        URI.create("https://example.com/privacy"), URI.create("https://example.com/terms")))
                .branding(new Branding("Acme", URI.create("https://cdn.example.com/logo.png"), "#112233"))
                .invoices(new InvoiceSettings(true, false))
                .profile(ProfileSettings.editable(ProfileField.EMAIL, ProfileField.BILLING_ADDRESS, ProfileField.PHONE))
                .paymentMethods(new PaymentMethodSettings(true, true)).usage(false)
                .wallets(new WalletSettings(true, true, new BigDecimal("5.00"), new BigDecimal("500.00")))
                .build();
    }

    private static PortalConfiguration plain(String name) {
        return PortalConfiguration.builder().name(name).build();
    }

    @Test
    @DisplayName("empty storage finds nothing, by name or as default")
    void emptyStorageFindsNothing() {
        assertThat(configurations.find(TENANT, "default")).isEmpty();
        assertThat(configurations.find(TENANT, null)).as("rule: no default until one is saved").isEmpty();
    }

    @Test
    @DisplayName("a saved configuration is found by name, equal in every setting")
    void savedConfigurationRoundTrips() {
        PortalConfiguration configuration = full("enterprise");

        save(TENANT, configuration);

        assertThat(configurations.find(TENANT, "enterprise")).as("rule: every setting round-trips")
                .contains(configuration);
        assertThat(configurations.find(TENANT, null)).as("rule: save alone makes no default").isEmpty();
    }

    @Test
    @DisplayName("saveDefault makes it the tenant's default, found with a null name and by its own name")
    void saveDefaultMakesTheDefault() {
        PortalConfiguration configuration = full("main");

        saveDefault(TENANT, configuration);

        assertThat(configurations.find(TENANT, null)).as("rule: a null name finds the default").contains(configuration);
        assertThat(configurations.find(TENANT, "main")).contains(configuration);
    }

    @Test
    @DisplayName("a second saveDefault moves the default; the first stays, by name")
    void secondSaveDefaultMovesTheDefault() {
        saveDefault(TENANT, plain("first"));
        saveDefault(TENANT, full("second"));

        assertThat(configurations.find(TENANT, null)).as("rule: at most one default per tenant, the latest")
                .contains(full("second"));
        assertThat(configurations.find(TENANT, "first")).as("rule: the old default stays as a named configuration")
                .contains(plain("first"));

        saveDefault(TENANT, plain("first"));
        assertThat(configurations.find(TENANT, null)).as("rule: the default can move back").contains(plain("first"));
    }

    @Test
    @DisplayName("saving again replaces the settings; whether it is the default does not change")
    void saveReplacesAndKeepsTheDefault() {
        saveDefault(TENANT, plain("main"));

        save(TENANT, full("main"));

        assertThat(configurations.find(TENANT, "main")).as("rule: save replaces").contains(full("main"));
        assertThat(configurations.find(TENANT, null)).as("rule: save keeps the default").contains(full("main"));
    }

    @Test
    @DisplayName("names and defaults are scoped by tenant")
    void configurationsAreScopedByTenant() {
        saveDefault(TENANT, full("main"));
        save(TENANT, plain("other"));

        assertThat(configurations.find(OTHER_TENANT, "main")).as("rule: another tenant never sees it").isEmpty();
        assertThat(configurations.find(OTHER_TENANT, null)).as("rule: defaults are per tenant").isEmpty();

        saveDefault(OTHER_TENANT, plain("main"));
        assertThat(configurations.find(OTHER_TENANT, null)).contains(plain("main"));
        assertThat(configurations.find(TENANT, null)).as("rule: another tenant's default changes nothing here")
                .contains(full("main"));
        assertThat(configurations.find(TENANT, "main")).contains(full("main"));
    }

    @ParameterizedTest(name = "looking up \"{0}\" does not find \"Main\"")
    @ValueSource(strings = {"main", "MAIN", "Mai", "Main.", "Main-"})
    void namesAreExact(String lookup) {
        save(TENANT, plain("Main"));

        assertThat(configurations.find(TENANT, lookup)).as("rule: names are compared exactly").isEmpty();
        assertThat(configurations.find(TENANT, "Main")).isPresent();
    }

    @Test
    @DisplayName("delete removes one configuration and says whether it existed")
    void deleteRemovesOne() {
        save(TENANT, plain("a"));
        save(TENANT, plain("b"));
        save(OTHER_TENANT, plain("a"));

        assertThat(delete(TENANT, "a")).as("rule: delete of a stored one is true").isTrue();
        assertThat(delete(TENANT, "a")).as("rule: delete of a missing one is false").isFalse();

        assertThat(configurations.find(TENANT, "a")).isEmpty();
        assertThat(configurations.find(TENANT, "b")).as("rule: others of the tenant stay").isPresent();
        assertThat(configurations.find(OTHER_TENANT, "a")).as("rule: the same name of another tenant stays").isPresent();
    }

    @Test
    @DisplayName("deleting the default leaves the tenant without a default; a new one can be set")
    void deletingTheDefault() {
        saveDefault(TENANT, plain("main"));
        save(TENANT, plain("spare"));

        assertThat(delete(TENANT, "main")).isTrue();

        assertThat(configurations.find(TENANT, null)).as("rule: no default after it was deleted").isEmpty();
        saveDefault(TENANT, plain("spare"));
        assertThat(configurations.find(TENANT, null)).contains(plain("spare"));
    }

    @Test
    @DisplayName("a deleted default saved again by save alone is not the default any more")
    void deletedDefaultSavedAgainIsNotDefault() {
        saveDefault(TENANT, plain("main"));
        delete(TENANT, "main");

        save(TENANT, plain("main"));

        assertThat(configurations.find(TENANT, null)).as("rule: deleting forgets the default").isEmpty();
    }
}
