package dev.billingportal.core;

import dev.billingportal.core.config.TenantSettings;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Frame-ancestor origins end up in a Content-Security-Policy header: only plain origins may pass. */
class TenantSettingsTest {

    @Test
    void plainOriginsAreNormalisedAndDeduplicated() {
        TenantSettings settings = TenantSettings.DEFAULT.withFrameAncestors("HTTPS://App.Example.com",
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
        assertThatThrownBy(() -> TenantSettings.DEFAULT.withFrameAncestors(origin))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("origin like https://app.example.com");
    }

    @Test
    void nullOriginsAndTooManyAreRefused() {
        assertThatThrownBy(() -> new TenantSettings(java.util.Arrays.asList("https://a.example.com", null), null))
                .isInstanceOf(IllegalArgumentException.class);
        List<String> many = java.util.stream.IntStream.range(0, TenantSettings.MAX_FRAME_ANCESTORS + 1)
                .mapToObj(i -> "https://app" + i + ".example.com").toList();
        assertThatThrownBy(() -> TenantSettings.DEFAULT.withFrameAncestors(many)).hasMessageContaining("at most");
    }

    @Test
    void commaSeparatedListsAreParsedStrictly() {
        assertThat(TenantSettings.parseOrigins(" https://a.example.com , http://localhost:3000,,")).containsExactly(
                "https://a.example.com", "http://localhost:3000");
        assertThat(TenantSettings.parseOrigins(null)).isEmpty();
        assertThat(TenantSettings.parseOrigins("  ")).isEmpty();
        assertThatThrownBy(() -> TenantSettings.parseOrigins("https://a.example.com, *")).hasMessageContaining("'*'");
    }

    @Test
    void theDefaultLanguageMustBeOneThePortalSpeaks() {
        assertThat(TenantSettings.DEFAULT.withDefaultLocale(Locale.forLanguageTag("de-CH")).defaultLocale())
                .isEqualTo(Locale.forLanguageTag("de-CH"));
        assertThatThrownBy(() -> TenantSettings.DEFAULT.withDefaultLocale(Locale.KOREAN))
                .hasMessageContaining("not a supported portal language");
        assertThat(TenantSettings.DEFAULT.frameAncestors()).isEmpty();
        assertThat(TenantSettings.DEFAULT.defaultLocale()).isNull();
    }
}
