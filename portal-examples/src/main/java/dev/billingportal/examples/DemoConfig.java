package dev.billingportal.examples;

import dev.billingportal.core.TenantSettings;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The demo's settings, read from the environment.
 *
 * @param port            {@code PORTAL_DEMO_PORT}, default 8080 (0 picks a free port)
 * @param apiKey          {@code PORTAL_DEMO_API_KEY}; when unset a random key is made and printed
 * @param apiKeyGenerated whether {@code apiKey} was made up because none was set
 * @param frameAncestors  {@code PORTAL_DEMO_FRAME_ANCESTORS}, comma-separated origins that may show the portal in
 *                        a frame; none by default (the page then refuses to be framed)
 */
public record DemoConfig(int port, String apiKey, boolean apiKeyGenerated, List<String> frameAncestors) {
    /** Port when {@code PORTAL_DEMO_PORT} is unset. */
    public static final int DEFAULT_PORT = 8080;

    /** Validates the port and key. */
    public DemoConfig {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("PORTAL_DEMO_PORT must be a port number from 0 to 65535, was " + port);
        }
        if (apiKey == null || apiKey.length() < 16) {
            throw new IllegalArgumentException("PORTAL_DEMO_API_KEY must be at least 16 characters");
        }
        try {
            frameAncestors = TenantSettings.DEFAULT.withFrameAncestors(frameAncestors).frameAncestors();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("PORTAL_DEMO_FRAME_ANCESTORS: " + e.getMessage(), e);
        }
    }

    /** Settings with no frame ancestors: the portal page cannot be framed. */
    public DemoConfig(int port, String apiKey, boolean apiKeyGenerated) {
        this(port, apiKey, apiKeyGenerated, List.of());
    }

    /** Reads {@code PORTAL_DEMO_PORT}, {@code PORTAL_DEMO_API_KEY} and {@code PORTAL_DEMO_FRAME_ANCESTORS} from {@code env}. */
    public static DemoConfig fromEnvironment(Map<String, String> env) {
        String rawPort = env.getOrDefault("PORTAL_DEMO_PORT", "").strip();
        int port;
        try {
            port = rawPort.isEmpty() ? DEFAULT_PORT : Integer.parseInt(rawPort);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("PORTAL_DEMO_PORT must be a port number, was '" + rawPort + "'");
        }
        List<String> frameAncestors;
        try {
            frameAncestors = TenantSettings.parseOrigins(env.get("PORTAL_DEMO_FRAME_ANCESTORS"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("PORTAL_DEMO_FRAME_ANCESTORS: " + e.getMessage(), e);
        }
        String apiKey = env.getOrDefault("PORTAL_DEMO_API_KEY", "").strip();
        if (apiKey.isEmpty()) {
            return new DemoConfig(port, randomApiKey(), true, frameAncestors);
        }
        return new DemoConfig(port, apiKey, false, frameAncestors);
    }

    /** A new random API key. */
    public static String randomApiKey() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return "demo_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Never prints the key. */
    @Override
    public String toString() {
        return "DemoConfig[port=" + port + ", apiKey=<redacted>, apiKeyGenerated=" + apiKeyGenerated
                + ", frameAncestors=" + frameAncestors + "]";
    }
}
