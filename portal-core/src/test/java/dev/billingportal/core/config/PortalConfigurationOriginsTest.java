package dev.billingportal.core.config;


import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Frame-ancestor origins end up in a Content-Security-Policy header: only plain origins may pass. */
class PortalConfigurationOriginsTest {
    private static PortalConfiguration framedBy(String... origins) {
        return PortalConfiguration.builder().frameAncestors(origins).build();
    }


    @Test
    void plainOriginsAreNormalisedAndDeduplicated() {
        PortalConfiguration settings = framedBy("HTTPS://App.Example.com",
                "https://app.example.com:443", "http://localhost:3000", "http://127.0.0.1:8080", "http://intranet:80");
        assertThat(settings.frameAncestors()).containsExactly("https://app.example.com", "http://localhost:3000",
                "http://127.0.0.1:8080", "http://intranet");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "*", "'self'", "'none'", "https://*.example.com", "*.example.com", "example.com",
            "https://app.example.com/", "https://app.example.com/billing", "https://app.example.com?x=1",
            "https://app.example.com#x", "https://app.example.com; script-src *", "https://a.example.com https://b.example.com",
            "https://app.example.com,https://b.example.com", "ftp://files.example.com", "javascript:alert(1)", "data:",
            "https://user@app.example.com", "https://app.example.com:0", "https://app.example.com:65536",
            "https://app.example.com:abc", "https://-bad.example.com", "https://app..example.com", "https://[::1]",
            "https://app.example.com\n", "'unsafe-inline'", "https://exämple.com"})
    void anythingButAPlainOriginIsRefused(String origin) {
        assertThatThrownBy(() -> framedBy(origin))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("origin like https://app.example.com");
    }

    @Test
    void nullOriginsAndTooManyAreRefused() {
        assertThatThrownBy(() -> PortalConfiguration.builder().frameAncestors(java.util.Arrays.asList("https://a.example.com", null)).build())
                .isInstanceOf(IllegalArgumentException.class);
        List<String> many = java.util.stream.IntStream.range(0, PortalConfiguration.MAX_FRAME_ANCESTORS + 1)
                .mapToObj(i -> "https://app" + i + ".example.com").toList();
        assertThatThrownBy(() -> PortalConfiguration.builder().frameAncestors(many).build()).hasMessageContaining("at most");
    }

    @Test
    void commaSeparatedListsAreParsedStrictly() {
        assertThat(Origins.parseOrigins(" https://a.example.com , http://localhost:3000,,")).containsExactly(
                "https://a.example.com", "http://localhost:3000");
        assertThat(Origins.parseOrigins(null)).isEmpty();
        assertThat(Origins.parseOrigins("  ")).isEmpty();
        assertThatThrownBy(() -> Origins.parseOrigins("https://a.example.com, *")).hasMessageContaining("'*'");
    }

    @Test
    void theDefaultLanguageMustBeOneThePortalSpeaks() {
        assertThat(PortalConfiguration.builder().defaultLocale(Locale.forLanguageTag("de-CH")).build().defaultLocale())
                .isEqualTo(Locale.forLanguageTag("de-CH"));
        assertThatThrownBy(() -> PortalConfiguration.builder().defaultLocale(Locale.KOREAN).build())
                .hasMessageContaining("not a supported portal language");
        assertThat(PortalConfiguration.DEFAULT.frameAncestors()).isEmpty();
        assertThat(PortalConfiguration.DEFAULT.defaultLocale()).isNull();
    }
}
