package dev.billingportal.spring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.URL;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The metadata IDEs complete {@code billing-portal.*} from, generated at compile time into the starter's jar. */
class ConfigurationMetadataTest {

    @Test
    void everySettingIsDescribedWithItsTypeAndDefault() throws Exception {
        // This module's own file (Boot's jars carry theirs under the same name).
        URL classes = BillingPortalAutoConfiguration.class.getProtectionDomain().getCodeSource().getLocation();
        URL metadata = new URL(classes.toString().endsWith(".jar") ? "jar:" + classes + "!/" : classes.toString());
        Map<String, JsonNode> properties = new HashMap<>();
        try (InputStream in = new URL(metadata, "META-INF/spring-configuration-metadata.json").openStream()) {
            new ObjectMapper().readTree(in).get("properties").forEach(p -> properties.put(p.get("name").asText(), p));
        }
        assertThat(properties).containsOnlyKeys("billing-portal.portal-url", "billing-portal.path",
                "billing-portal.session-ttl", "billing-portal.link-mode", "billing-portal.frame-ancestors",
                "billing-portal.trusted-proxies", "billing-portal.signing.secret", "billing-portal.signing.key-id",
                "billing-portal.jdbc.migrate", "billing-portal.jdbc.table-prefix",
                "billing-portal.jdbc.configuration-cache-ttl", "billing-portal.lago.api-key",
                "billing-portal.lago.path");
        assertThat(properties.values()).allSatisfy(p -> assertThat(p.path("description").asText()).as(p.get("name").asText())
                .isNotBlank().doesNotContain("{@"));
        assertThat(properties.get("billing-portal.path").get("defaultValue").asText()).isEqualTo("/portal");
        assertThat(properties.get("billing-portal.signing.key-id").get("defaultValue").asText()).isEqualTo("default");
        assertThat(properties.get("billing-portal.jdbc.migrate").get("defaultValue").asBoolean()).isTrue();
        assertThat(properties.get("billing-portal.jdbc.configuration-cache-ttl").get("defaultValue").asText())
                .as("the starter's default is the store's").isEqualTo("5s");
        assertThat(java.time.Duration.parse("PT" + PortalProperties.Jdbc.DEFAULT_CONFIGURATION_CACHE_TTL.toUpperCase()))
                .isEqualTo(dev.billingportal.jdbc.JdbcPortalStore.DEFAULT_CONFIGURATION_CACHE_TTL);
        assertThat(properties.get("billing-portal.session-ttl").get("type").asText()).isEqualTo("java.time.Duration");
        assertThat(properties.get("billing-portal.link-mode").get("type").asText()).isEqualTo("dev.billingportal.core.session.LinkMode");
    }
}
