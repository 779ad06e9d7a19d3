package dev.billingportal.spring;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The report Spring Boot prints when a setting is bad: what a developer sees in the console at start-up. */
@ExtendWith(OutputCaptureExtension.class)
class StartupFailureReportTest {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
    }

    private static void start(String... properties) {
        SpringApplication application = new SpringApplication(App.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        String[] args = new String[properties.length + 1];
        args[0] = "--spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        for (int i = 0; i < properties.length; i++) {
            args[i + 1] = "--" + properties[i];
        }
        application.run(args).close();
    }

    @Test
    void aMissingPortalUrlIsReportedByTheFailureAnalyzer(CapturedOutput output) {
        assertThatThrownBy(() -> start("billing-portal.signing.secret=" + BillingPortalAutoConfigurationTest.SECRET))
                .isInstanceOf(RuntimeException.class);
        assertThat(output.toString()).contains("APPLICATION FAILED TO START")
                .contains("Billing Portal setting billing-portal.portal-url: billing-portal.portal-url is required")
                .contains("set it to this application's public URL");
    }

    @Test
    void aBadLinkModeIsReportedWithTheValidValues(CapturedOutput output) {
        assertThatThrownBy(() -> start("billing-portal.signing.secret=" + BillingPortalAutoConfigurationTest.SECRET,
                "billing-portal.portal-url=https://billing.example.com/portal/", "billing-portal.link-mode=sometimes"))
                .isInstanceOf(RuntimeException.class);
        assertThat(output.toString()).contains("APPLICATION FAILED TO START").contains("billing-portal.link-mode")
                .contains("sometimes").contains("ONE_TIME").contains("REUSABLE");
    }

    @Test
    void aShortSecretIsReportedWithoutItsValue(CapturedOutput output) {
        String secret = java.util.Base64.getEncoder().encodeToString("only-sixteen-byt".getBytes());
        assertThatThrownBy(() -> start("billing-portal.signing.secret=" + secret,
                "billing-portal.portal-url=https://billing.example.com/portal/")).isInstanceOf(RuntimeException.class);
        assertThat(output.toString()).contains("billing-portal.signing.secret must decode to at least 32 bytes")
                .doesNotContain(secret);
    }
}
