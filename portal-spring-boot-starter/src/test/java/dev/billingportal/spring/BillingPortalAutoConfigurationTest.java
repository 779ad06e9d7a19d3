package dev.billingportal.spring;

import dev.billingportal.core.PortalService;
import dev.billingportal.core.session.SessionRequest;
import dev.billingportal.core.api.LagoCompatibleApi;
import dev.billingportal.core.api.PortalApi;
import dev.billingportal.core.memory.InMemoryCustomerRepository;
import dev.billingportal.core.memory.InMemoryInvoiceRepository;
import dev.billingportal.core.memory.InMemoryPortalSessionRepository;
import dev.billingportal.core.profile.CustomerRepository;
import dev.billingportal.core.invoices.InvoiceRepository;
import dev.billingportal.core.session.PortalSessionRepository;
import dev.billingportal.core.token.TokenSigner;
import dev.billingportal.core.token.JwtTokenSigner;
import dev.billingportal.core.token.KeyRing;
import dev.billingportal.core.token.SigningKey;
import dev.billingportal.jdbc.JdbcPortalStore;
import dev.billingportal.servlet.PortalServlet;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.assertj.ApplicationContextAssertProvider;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import javax.sql.DataSource;
import java.net.URI;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** What the auto-configuration builds, what it leaves to the application, and how a bad setting stops start-up. */
class BillingPortalAutoConfigurationTest {
    static final String SECRET = Base64.getEncoder().encodeToString(new byte[32]);

    private static ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, BillingPortalAutoConfiguration.class))
                .withPropertyValues("spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    }

    private static ApplicationContextRunner configured() {
        return runner().withPropertyValues("billing-portal.portal-url=https://billing.example.com/portal/",
                "billing-portal.signing.secret=" + SECRET);
    }

    private static WebApplicationContextRunner web() {
        return new WebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, BillingPortalAutoConfiguration.class,
                        BillingPortalServletAutoConfiguration.class))
                .withPropertyValues("spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
                        "billing-portal.portal-url=https://billing.example.com/portal/", "billing-portal.signing.secret=" + SECRET);
    }

    private static boolean tableExists(DataSource dataSource, String table) throws Exception {
        try (Connection connection = dataSource.getConnection();
             ResultSet tables = connection.getMetaData().getTables(null, null, table.toUpperCase(), null)) {
            return tables.next();
        }
    }

    /** The configuration exception at the root of a failed start-up. */
    private static BillingPortalConfigurationException failure(ApplicationContextAssertProvider<?> context) {
        assertThat(context).hasFailed();
        Throwable cause = context.getStartupFailure();
        while (cause != null && !(cause instanceof BillingPortalConfigurationException)) {
            cause = cause.getCause();
        }
        assertThat(cause).as("a BillingPortalConfigurationException in " + context.getStartupFailure()).isNotNull();
        return (BillingPortalConfigurationException) cause;
    }

    // ---------------------------------------------------------------- what it builds

    @Test
    void fromADataSourceAndTheRequiredPropertiesItBuildsTheStoreServiceAndApi() {
        configured().run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(JdbcPortalStore.class).hasSingleBean(PortalService.class)
                    .hasSingleBean(PortalApi.class).hasSingleBean(TokenSigner.class).doesNotHaveBean(LagoCompatibleApi.class);
            assertThat(tableExists(context.getBean(DataSource.class), "portal_invoices")).as("schema migrated").isTrue();
            PortalService portal = context.getBean(PortalService.class);
            assertThat(portal.portalUrl()).isEqualTo(URI.create("https://billing.example.com/portal/"));
            assertThat(portal.sessionTtl()).isEqualTo(PortalService.DEFAULT_SESSION_TTL);
            assertThat(context.getBean(JdbcPortalStore.class).configurationCacheTtl())
                    .isEqualTo(JdbcPortalStore.DEFAULT_CONFIGURATION_CACHE_TTL);
            PortalApi api = context.getBean(PortalApi.class);
            assertThat(api.uiPath()).isEqualTo("/portal");
            assertThat(api.basePath()).isEqualTo("/portal/api");
        });
    }

    @Test
    void propertiesReachTheService() {
        configured().withPropertyValues("billing-portal.session-ttl=2h", "billing-portal.link-mode=one-time",
                "billing-portal.frame-ancestors=https://app.example.com", "billing-portal.jdbc.table-prefix=bp_",
                "billing-portal.jdbc.configuration-cache-ttl=0s", "billing-portal.path=/billing").run(context -> {
            PortalService portal = context.getBean(PortalService.class);
            assertThat(portal.sessionTtl()).isEqualTo(Duration.ofHours(2));
            assertThat(portal.linkMode()).isEqualTo(dev.billingportal.core.session.LinkMode.ONE_TIME);
            context.getBean(JdbcPortalStore.class).customers().save(dev.billingportal.core.domain.Customer.builder()
                    .id("c-1").externalId("cus_1").build());
            String link = portal.createSession(dev.billingportal.core.session.SessionRequest.forCustomer("cus_1")).token();
            assertThat(portal.frameAncestorsFor(link)).containsExactly("https://app.example.com");
            assertThat(context.getBean(JdbcPortalStore.class).tablePrefix()).isEqualTo("bp_");
            assertThat(context.getBean(JdbcPortalStore.class).configurationCacheTtl()).isEqualTo(Duration.ZERO);
            assertThat(tableExists(context.getBean(DataSource.class), "bp_invoices")).isTrue();
            assertThat(context.getBean(PortalApi.class).basePath()).isEqualTo("/billing/api");
        });
    }

    @Test
    void migrateFalseLeavesTheSchemaAlone() {
        configured().withPropertyValues("billing-portal.jdbc.migrate=false").run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(JdbcPortalStore.class);
            assertThat(tableExists(context.getBean(DataSource.class), "portal_invoices")).isFalse();
        });
    }

    @Test
    void inAServletApplicationThePortalServletIsMountedAtThePath() {
        web().withPropertyValues("billing-portal.path=/billing").run(context -> {
            assertThat(context).hasNotFailed();
            ServletRegistrationBean<?> registration = context.getBean("billingPortalServlet", ServletRegistrationBean.class);
            assertThat(registration.getServlet()).isInstanceOf(PortalServlet.class);
            assertThat(registration.getUrlMappings()).containsExactly("/billing/*");
            assertThat(context).doesNotHaveBean("billingPortalLagoServlet");
        });
        configured().run(context -> assertThat(context).doesNotHaveBean("billingPortalServlet"));
    }

    @Test
    void theLagoEndpointIsMountedOnlyWithAnApiKey() {
        web().withPropertyValues("billing-portal.lago.api-key=lago-key-of-sufficient-length").run(context -> {
            assertThat(context).hasSingleBean(LagoCompatibleApi.class);
            ServletRegistrationBean<?> registration = context.getBean("billingPortalLagoServlet", ServletRegistrationBean.class);
            assertThat(registration.getUrlMappings()).containsExactly("/api/v1/*");
        });
    }

    @Test
    void anApplicationsOwnLagoApiIsMountedWithoutTheProperty() {
        web().withUserConfiguration(OwnLago.class).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(LagoCompatibleApi.class)).isSameAs(context.getBean("ownLago"));
            ServletRegistrationBean<?> registration = context.getBean("billingPortalLagoServlet", ServletRegistrationBean.class);
            assertThat(registration.getUrlMappings()).containsExactly("/partners/v1/*");
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnLago {
        @Bean
        LagoCompatibleApi ownLago(PortalService portal) {
            return LagoCompatibleApi.builder(portal).basePath("/partners/v1")
                    .apiKey("tenant-a-key-of-enough-length", "tenant-a").apiKey("tenant-b-key-of-enough-length", "tenant-b")
                    .build();
        }
    }

    @Test
    void aRegistrationOfTheSameNameReplacesTheStartersServlet() {
        ServletRegistrationBean<PortalServlet> own = new ServletRegistrationBean<>(
                new PortalServlet(request -> null), "/elsewhere/*");
        web().withBean("billingPortalServlet", ServletRegistrationBean.class, () -> own).run(context ->
                assertThat(context.getBean("billingPortalServlet")).isSameAs(own));
    }

    // ---------------------------------------------------------------- the application's beans win

    @Configuration(proxyBeanMethods = false)
    static class HostRepositories {
        static final InMemoryCustomerRepository CUSTOMERS = new InMemoryCustomerRepository();

        @Bean
        CustomerRepository customers() {
            return CUSTOMERS;
        }

        @Bean
        InvoiceRepository invoices() {
            return new InMemoryInvoiceRepository();
        }

        @Bean
        PortalSessionRepository sessions() {
            return new InMemoryPortalSessionRepository();
        }
    }

    @Test
    void theApplicationsRepositoriesWinAndNoDataSourceIsNeeded() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(BillingPortalAutoConfiguration.class))
                .withUserConfiguration(HostRepositories.class)
                .withPropertyValues("billing-portal.portal-url=https://billing.example.com/portal/",
                        "billing-portal.signing.secret=" + SECRET)
                .run(context -> {
                    assertThat(context).hasNotFailed().doesNotHaveBean(JdbcPortalStore.class).hasSingleBean(PortalService.class);
                    assertThat(context.getBean(CustomerRepository.class)).isSameAs(HostRepositories.CUSTOMERS);
                    HostRepositories.CUSTOMERS.save(dev.billingportal.testkit.TestData.customer("default", "c1"));
                    assertThat(context.getBean(PortalService.class).createSession(SessionRequest.forCustomer("ext-c1")).token())
                            .as("the service answers from the application's repository").isNotBlank();
                });
    }

    @Test
    void withoutRepositoriesOrDataSourceStartUpSaysWhatIsMissing() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(BillingPortalAutoConfiguration.class))
                .withPropertyValues("billing-portal.portal-url=https://billing.example.com/portal/",
                        "billing-portal.signing.secret=" + SECRET)
                .run(context -> assertThat(failure(context).getMessage())
                        .contains("no such bean and no single DataSource").contains("spring.datasource.url"));
    }

    @Test
    void anApplicationTokenSignerMakesTheSecretUnnecessary() {
        TokenSigner own = JwtTokenSigner.hs256(KeyRing.of(SigningKey.generateHs256("own")));
        runner().withPropertyValues("billing-portal.portal-url=https://billing.example.com/portal/")
                .withBean(TokenSigner.class, () -> own)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(TokenSigner.class)).isSameAs(own);
                });
    }

    @Test
    void anApplicationPortalServiceWinsAndIsServed() {
        configured().withUserConfiguration(OwnService.class).run(context -> {
            assertThat(context).hasSingleBean(PortalService.class);
            assertThat(context.getBean(PortalService.class)).isSameAs(context.getBean("ownPortalService"));
            assertThat(context.getBean(PortalService.class).portalUrl()).isEqualTo(URI.create("https://own.example.com/portal/"));
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnService {
        @Bean
        PortalService ownPortalService(CustomerRepository customers, InvoiceRepository invoices, PortalSessionRepository sessions,
                                       TokenSigner signer) {
            return PortalService.builder().customers(customers).invoices(invoices).sessions(sessions).tokenSigner(signer)
                    .portalUrl(URI.create("https://own.example.com/portal/")).build();
        }
    }

    @Test
    void customizersAdjustTheBuilder() {
        AtomicBoolean called = new AtomicBoolean();
        configured().withBean(PortalServiceCustomizer.class, () -> builder -> {
            called.set(true);
            builder.exchangedSessionTtl(Duration.ofMinutes(5));
        }).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(called).isTrue();
            assertThat(context.getBean(PortalService.class).exchangedSessionTtl()).isEqualTo(Duration.ofMinutes(5));
        });
    }

    // ---------------------------------------------------------------- bad settings stop start-up, naming them

    @Test
    void aMissingPortalUrlIsNamed() {
        runner().withPropertyValues("billing-portal.signing.secret=" + SECRET).run(context -> {
            BillingPortalConfigurationException e = failure(context);
            assertThat(e.property()).isEqualTo("billing-portal.portal-url");
            assertThat(e.getMessage()).startsWith("billing-portal.portal-url is required");
        });
    }

    @Test
    void aMissingSecretIsNamed() {
        runner().withPropertyValues("billing-portal.portal-url=https://billing.example.com/portal/").run(context -> {
            BillingPortalConfigurationException e = failure(context);
            assertThat(e.property()).isEqualTo("billing-portal.signing.secret");
            assertThat(e.getMessage()).startsWith("billing-portal.signing.secret is required unless the application defines a TokenSigner bean");
        });
    }

    @Test
    void aShortSecretIsNamedWithoutItsValue() {
        String shortSecret = Base64.getEncoder().encodeToString("sixteen byte key".getBytes());
        runner().withPropertyValues("billing-portal.portal-url=https://billing.example.com/portal/",
                "billing-portal.signing.secret=" + shortSecret).run(context -> {
            BillingPortalConfigurationException e = failure(context);
            assertThat(e.property()).isEqualTo("billing-portal.signing.secret");
            assertThat(e.getMessage()).contains("must decode to at least 32 bytes (256 bits), was 16")
                    .doesNotContain(shortSecret);
        });
    }

    @Test
    void aSecretThatIsNotBase64IsNamedWithoutItsValue() {
        runner().withPropertyValues("billing-portal.portal-url=https://billing.example.com/portal/",
                "billing-portal.signing.secret=not base64 at all!!").run(context -> {
            BillingPortalConfigurationException e = failure(context);
            assertThat(e.getMessage()).startsWith("billing-portal.signing.secret is not valid base64").doesNotContain("at all");
            assertThat(e.getCause()).as("the decoder's message could quote the secret").isNull();
        });
    }

    @Test
    void aBadLinkModeIsNamed() {
        configured().withPropertyValues("billing-portal.link-mode=sometimes").run(context -> {
            assertThat(context).hasFailed();
            Throwable cause = context.getStartupFailure();
            while (cause != null && !(cause instanceof org.springframework.boot.context.properties.bind.BindException)) {
                cause = cause.getCause();
            }
            assertThat(cause).as("a binding failure").isNotNull();
            assertThat(cause.getMessage()).contains("billing-portal.link-mode");
        });
    }

    @Test
    void outOfRangeValuesAreNamed() {
        configured().withPropertyValues("billing-portal.session-ttl=30s").run(context ->
                assertThat(failure(context).getMessage()).startsWith("billing-portal.session-ttl is not valid").contains("between"));
        configured().withPropertyValues("billing-portal.portal-url=ftp://billing.example.com/").run(context ->
                assertThat(failure(context).property()).isEqualTo("billing-portal.portal-url"));
        configured().withPropertyValues("billing-portal.path=portal").run(context ->
                assertThat(failure(context).property()).isEqualTo("billing-portal.path"));
        configured().withPropertyValues("billing-portal.frame-ancestors=not an origin").run(context ->
                assertThat(failure(context).property()).isEqualTo("billing-portal.frame-ancestors"));
        web().withPropertyValues("billing-portal.trusted-proxies=proxy.internal").run(context ->
                assertThat(failure(context).property()).isEqualTo("billing-portal.trusted-proxies"));
        web().withPropertyValues("billing-portal.lago.api-key=short").run(context -> {
            BillingPortalConfigurationException e = failure(context);
            assertThat(e.property()).isEqualTo("billing-portal.lago.api-key");
            assertThat(e.getMessage()).doesNotContain("short ").contains("at least 16 characters");
        });
        configured().withPropertyValues("billing-portal.jdbc.table-prefix=Bad-Prefix").run(context ->
                assertThat(failure(context).property()).isEqualTo("billing-portal.jdbc.table-prefix"));
        configured().withPropertyValues("billing-portal.jdbc.configuration-cache-ttl=2d").run(context -> {
            BillingPortalConfigurationException e = failure(context);
            assertThat(e.property()).isEqualTo("billing-portal.jdbc.configuration-cache-ttl");
            assertThat(e.getMessage()).contains("between zero and one day");
        });
    }

    @Test
    void theFailureAnalyzerReportsTheSettingAndTheFix() {
        runner().withPropertyValues("billing-portal.signing.secret=" + SECRET).run(context -> {
            FailureAnalysis analysis = new BillingPortalFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis).isNotNull();
            assertThat(analysis.getDescription()).contains("billing-portal.portal-url is required");
            assertThat(analysis.getAction()).contains("https://billing.example.com/portal/");
        });
    }

    @Test
    void propertiesNeverPrintTheirSecrets() {
        PortalProperties properties = new PortalProperties(null, "/portal", Duration.ofHours(1), null, null, null,
                new PortalProperties.Signing("c2VjcmV0LXZhbHVl", "k1"), null,
                new PortalProperties.Lago("lago-key-of-sufficient-length", "/api/v1"));
        assertThat(properties.toString()).doesNotContain("c2VjcmV0LXZhbHVl").doesNotContain("lago-key-of-sufficient-length")
                .contains("k1");
    }
}
