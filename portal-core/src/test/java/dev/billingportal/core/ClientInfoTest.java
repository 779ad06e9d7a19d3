package dev.billingportal.core;

import dev.billingportal.core.audit.AuditActor;
import dev.billingportal.core.audit.AuditEvent;
import dev.billingportal.core.audit.AuditEventType;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Client information is made safe to store and display, whatever a client sends. */
class ClientInfoTest {

    @Test
    @DisplayName("ordinary addresses and user agents are kept as they are")
    void ordinaryValuesAreKept() {
        ClientInfo client = ClientInfo.of("2001:db8::1%eth0", "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) Safari/605.1.15");

        assertThat(client.address()).isEqualTo("2001:db8::1%eth0");
        assertThat(client.userAgent()).isEqualTo("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) Safari/605.1.15");
        assertThat(ClientInfo.of("测试浏览器/1.0 🦊", null).address()).isEqualTo("测试浏览器/1.0 🦊");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\u0000", "\r\n", "\t", "\u001b[31m", "\u007f", "\u0085", "\u2028", "\u2029", "\u202e",
            "\u200b", "\ufeff", "\ud800", "\udfff"})
    @DisplayName("control, format, line-separator and broken-surrogate characters become U+FFFD")
    void unsafeCharactersAreReplaced(String unsafe) {
        ClientInfo client = ClientInfo.of("1.2.3.4" + unsafe + "x", "agent" + unsafe + "x");

        assertThat(client.userAgent()).startsWith("agent").endsWith("x").contains("\ufffd");
        assertThat(client.address()).startsWith("1.2.3.4").endsWith("x").contains("\ufffd");
        assertThat(client.userAgent().codePoints()).noneMatch(c -> Character.isISOControl(c)
                || Character.getType(c) == Character.FORMAT || Character.getType(c) == Character.SURROGATE);
    }

    @Test
    @DisplayName("a forged log line in a user agent stays on one line")
    void logInjectionStaysOnOneLine() {
        String agent = ClientInfo.of(null, "curl/8\r\n2026-11-21 INFO admin logged in").userAgent();

        assertThat(agent).doesNotContain("\r").doesNotContain("\n").isEqualTo("curl/8\ufffd\ufffd2026-11-21 INFO admin logged in");
    }

    @Test
    @DisplayName("values are cut to their bounds, never inside a surrogate pair")
    void valuesAreBounded() {
        assertThat(ClientInfo.of(null, "a".repeat(10_000)).userAgent()).hasSize(ClientInfo.MAX_USER_AGENT_LENGTH);
        assertThat(ClientInfo.of("9".repeat(500), null).address()).hasSize(ClientInfo.MAX_ADDRESS_LENGTH);
        String emoji = "😀".repeat(300); // 600 UTF-16 units
        assertThat(ClientInfo.of(null, emoji).userAgent()).isEqualTo("😀".repeat(256));
        String odd = "a" + "😀".repeat(300);
        String cut = ClientInfo.of(null, odd).userAgent();
        assertThat(cut).hasSize(ClientInfo.MAX_USER_AGENT_LENGTH - 1).isEqualTo("a" + "😀".repeat(255));
    }

    @Test
    @DisplayName("blank or missing values are null; surrounding blanks are stripped")
    void blankValuesAreNull() {
        assertThat(ClientInfo.of(" ", "\u3000")).isEqualTo(ClientInfo.UNKNOWN);
        assertThat(ClientInfo.of(null, null)).isEqualTo(ClientInfo.UNKNOWN);
        assertThat(ClientInfo.UNKNOWN.address()).isNull();
        assertThat(ClientInfo.UNKNOWN.userAgent()).isNull();
        assertThat(ClientInfo.of(" 10.0.0.1 ", " ua ")).isEqualTo(ClientInfo.of("10.0.0.1", "ua"));
    }

    @Test
    @DisplayName("cleaning is idempotent and never throws, for random text of any kind")
    void cleaningIsIdempotentOnRandomText() {
        Random random = new Random(42);
        for (int n = 0; n < 2_000; n++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(700);
            for (int i = 0; i < length; i++) {
                text.append((char) random.nextInt(0x10000));
            }
            ClientInfo once = ClientInfo.of(text.toString(), text.toString());
            assertThat(ClientInfo.of(once.address(), once.userAgent())).isEqualTo(once);
            if (once.userAgent() != null) {
                assertThat(once.userAgent().length()).isLessThanOrEqualTo(ClientInfo.MAX_USER_AGENT_LENGTH);
            }
        }
    }

    @Test
    @DisplayName("audit events clean what they are given the same way")
    void auditEventsCleanToo() {
        AuditEvent event = new AuditEvent("ae_1", AuditEventType.INVOICE_DOWNLOADED, Instant.EPOCH, "t", "c",
                AuditActor.CUSTOMER, "ps_1", null, "inv-1", "1.2.3.4\n", "x".repeat(600) + "\u0000");

        assertThat(event.clientAddress()).isEqualTo("1.2.3.4\ufffd");
        assertThat(event.userAgent()).hasSize(ClientInfo.MAX_USER_AGENT_LENGTH).doesNotContain("\u0000");
        assertThat(event.client()).isEqualTo(ClientInfo.of("1.2.3.4\ufffd", "x".repeat(512)));
    }
}
