package dev.billingportal.core.api;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PortalResponseTest {

    @Test
    @DisplayName("headers are copied: a later change to the caller's map or lists does not reach the response")
    void headersAreCopied() {
        Map<String, List<String>> mine = new LinkedHashMap<>();
        mine.put("Content-Type", new ArrayList<>(List.of("application/json")));
        PortalResponse response = new PortalResponse(200, mine, ResponseBody.EMPTY);
        mine.get("Content-Type").add("text/plain");
        mine.put("X-Later", List.of("1"));
        assertThat(response.headers()).containsOnlyKeys("Content-Type");
        assertThat(response.headers().get("Content-Type")).containsExactly("application/json");
    }

    @Test
    @DisplayName("headers are immutable and case-insensitive, also when taken over from another response")
    void headersOfAnotherResponseAreTakenAsTheyAre() {
        PortalResponse first = new PortalResponse.Builder(200).header("Cache-Control", "no-store")
                .header("X-Two", "a").header("X-Two", "b").build();
        PortalResponse second = new PortalResponse(404, first.headers(), ResponseBody.EMPTY);
        assertThat(second.headers()).isSameAs(first.headers());
        for (PortalResponse response : List.of(first, second)) {
            assertThat(response.header("cache-control")).contains("no-store");
            assertThat(response.headers().get("x-two")).containsExactly("a", "b");
            assertThat(response.headers().containsKey("CACHE-CONTROL")).isTrue();
            assertThat(response.headers().getOrDefault("absent", List.of("none"))).containsExactly("none");
            assertThat(response.headers()).hasSize(2);
            assertThatThrownBy(() -> response.headers().put("X", List.of()))
                    .isInstanceOf(UnsupportedOperationException.class);
            assertThatThrownBy(() -> response.headers().get("X-Two").add("c"))
                    .isInstanceOf(UnsupportedOperationException.class);
            assertThatThrownBy(() -> response.headers().entrySet().clear())
                    .isInstanceOf(UnsupportedOperationException.class);
        }
        assertThat(second.status()).isEqualTo(404);
    }

    @Test
    @DisplayName("a status outside 100-599 and a missing body are refused")
    void validates() {
        assertThatThrownBy(() -> new PortalResponse(99, Map.of(), ResponseBody.EMPTY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("99");
        assertThatThrownBy(() -> new PortalResponse(200, null, null)).hasMessageContaining("body");
    }
}
