package dev.billingportal.servlet;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which proxies are trusted, and which forwarded address is then the client's. */
class TrustedProxiesTest {
    private final TrustedProxies proxies = TrustedProxies.of("10.0.0.0/8", "192.168.1.7", "fd00::/8");

    @Test
    void addressesAndCidrRangesOfBothFamilies() {
        assertThat(proxies.trusts("10.200.3.4")).isTrue();
        assertThat(proxies.trusts("11.0.0.1")).isFalse();
        assertThat(proxies.trusts("192.168.1.7")).isTrue();
        assertThat(proxies.trusts("192.168.1.8")).isFalse();
        assertThat(proxies.trusts("fd12:3456::1")).isTrue();
        assertThat(proxies.trusts("fe80::1")).isFalse();
        assertThat(TrustedProxies.of("172.16.0.0/12").trusts("172.31.255.255")).as("a prefix not on a byte boundary").isTrue();
        assertThat(TrustedProxies.of("172.16.0.0/12").trusts("172.32.0.0")).isFalse();
        assertThat(proxies.trusts("localhost")).as("a name is never resolved").isFalse();
        assertThat(TrustedProxies.of("::1").trusts("[0:0:0:0:0:0:0:1]")).as("Jetty's bracketed IPv6 form").isTrue();
        assertThat(TrustedProxies.of("10.0.0.0/8").trusts("::ffff:10.1.2.3")).as("IPv4-mapped IPv6").isTrue();
    }

    @Test
    void anUntrustedPeerIsTheClientWhateverItForwards() {
        assertThat(proxies.clientAddress("203.0.113.5", List.of("10.0.0.1"))).isEqualTo("203.0.113.5");
        assertThat(TrustedProxies.NONE.clientAddress("10.0.0.1", List.of("203.0.113.5"))).isEqualTo("10.0.0.1");
    }

    @Test
    void behindTrustedProxiesTheRightMostUntrustedHopIsTheClient() {
        assertThat(proxies.clientAddress("10.0.0.1", List.of("198.51.100.1, 203.0.113.5, 10.1.1.1"))).isEqualTo("203.0.113.5");
        assertThat(proxies.clientAddress("10.0.0.1", List.of("198.51.100.1", "203.0.113.5:4711"))).as("headers in order, ports dropped")
                .isEqualTo("203.0.113.5");
        assertThat(proxies.clientAddress("10.0.0.1", List.of("[2001:db8::1]:443"))).isEqualTo("2001:db8::1");
        assertThat(proxies.clientAddress("10.0.0.1", List.of("10.0.0.2, 10.0.0.3"))).as("all trusted: the left-most")
                .isEqualTo("10.0.0.2");
        assertThat(proxies.clientAddress("10.0.0.1", List.of())).isEqualTo("10.0.0.1");
    }

    @Test
    void aMalformedHopStopsTheWalkAtTheLastVouchedAddress() {
        assertThat(proxies.clientAddress("10.0.0.1", List.of("203.0.113.5, evil.example, 10.0.0.9"))).isEqualTo("10.0.0.9");
        assertThat(proxies.clientAddress("10.0.0.1", List.of("unknown"))).isEqualTo("10.0.0.1");
    }

    @Test
    void badEntriesAreRefusedByName() {
        assertThatThrownBy(() -> TrustedProxies.of("proxy.internal")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("proxy.internal").hasMessageContaining("host names are not accepted");
        assertThatThrownBy(() -> TrustedProxies.of("10.0.0.0/33")).hasMessageContaining("10.0.0.0/33");
        assertThatThrownBy(() -> TrustedProxies.of(" ")).hasMessageContaining("blank");
        assertThatThrownBy(() -> PortalServlet.builder(r -> null).maxBodyBytes(-1)).hasMessageContaining("maxBodyBytes");
    }
}
