package dev.billingportal.examples;

import dev.billingportal.core.config.Origins;
import dev.billingportal.core.config.PortalConfiguration;

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
 * @param jdbcUrl         {@code PORTAL_DEMO_JDBC_URL}, or null for a private in-memory H2 database that lives as long
 *                        as the JVM (what tests get); {@link DemoApp} turns null into {@value #DEFAULT_JDBC_URL}
 * @param jdbcUser        {@code PORTAL_DEMO_JDBC_USER}, or null to leave it to the URL
 * @param jdbcPassword    {@code PORTAL_DEMO_JDBC_PASSWORD}, or null to leave it to the URL
 * @param oneTimeLinks    {@code PORTAL_DEMO_ONE_TIME_LINKS}: whether links open the portal once
 *                        ({@code LinkMode.ONE_TIME}); false by default (reusable links, as Lago's)
 */
public record DemoConfig(int port, String apiKey, boolean apiKeyGenerated, List<String> frameAncestors,
                         String jdbcUrl, String jdbcUser, String jdbcPassword, boolean oneTimeLinks) {
    /** Port when {@code PORTAL_DEMO_PORT} is unset. */
    public static final int DEFAULT_PORT = 8080;
    /** The demo app's database when {@code PORTAL_DEMO_JDBC_URL} is unset: an H2 file, so its data survives a restart. */
    public static final String DEFAULT_JDBC_URL = "jdbc:h2:file:./data/billing-portal-demo";

    /** Validates the port, key, origins and database URL. */
    public DemoConfig {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("PORTAL_DEMO_PORT must be a port number from 0 to 65535, was " + port);
        }
        if (apiKey == null || apiKey.length() < 16) {
            throw new IllegalArgumentException("PORTAL_DEMO_API_KEY must be at least 16 characters");
        }
        try {
            frameAncestors = PortalConfiguration.builder().frameAncestors(frameAncestors).build().frameAncestors();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("PORTAL_DEMO_FRAME_ANCESTORS: " + e.getMessage(), e);
        }
        if (jdbcUrl != null && !jdbcUrl.startsWith("jdbc:")) {
            throw new IllegalArgumentException("PORTAL_DEMO_JDBC_URL must be a JDBC URL starting with jdbc:");
        }
    }

    /**
     * Settings with reusable links.
     *
     * @param port            the port
     * @param apiKey          the API key
     * @param apiKeyGenerated whether the key was made up
     * @param frameAncestors  origins that may frame the portal
     * @param jdbcUrl         the database, or null for a private in-memory one
     * @param jdbcUser        the database user, or null
     * @param jdbcPassword    the database password, or null
     */
    public DemoConfig(int port, String apiKey, boolean apiKeyGenerated, List<String> frameAncestors, String jdbcUrl,
                      String jdbcUser, String jdbcPassword) {
        this(port, apiKey, apiKeyGenerated, frameAncestors, jdbcUrl, jdbcUser, jdbcPassword, false);
    }

    /** Settings with no frame ancestors (the portal page cannot be framed) over a private in-memory database. */
    public DemoConfig(int port, String apiKey, boolean apiKeyGenerated) {
        this(port, apiKey, apiKeyGenerated, List.of());
    }

    /** Settings over a private in-memory database, which tests and examples get so that they never touch {@code ./data}. */
    public DemoConfig(int port, String apiKey, boolean apiKeyGenerated, List<String> frameAncestors) {
        this(port, apiKey, apiKeyGenerated, frameAncestors, null, null, null);
    }

    /** These settings with one-time links on or off. */
    public DemoConfig withOneTimeLinks(boolean oneTimeLinks) {
        return new DemoConfig(port, apiKey, apiKeyGenerated, frameAncestors, jdbcUrl, jdbcUser, jdbcPassword, oneTimeLinks);
    }

    /**
     * Reads {@code PORTAL_DEMO_PORT}, {@code PORTAL_DEMO_API_KEY}, {@code PORTAL_DEMO_FRAME_ANCESTORS},
     * {@code PORTAL_DEMO_JDBC_URL}, {@code PORTAL_DEMO_JDBC_USER}, {@code PORTAL_DEMO_JDBC_PASSWORD} and
     * {@code PORTAL_DEMO_ONE_TIME_LINKS} ({@code true} or {@code false}) from {@code env}. Without
     * {@code PORTAL_DEMO_JDBC_URL} the database is a private in-memory one; the demo app then asks for
     * {@link #withDefaultDatabase()}.
     */
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
            frameAncestors = Origins.parseOrigins(env.get("PORTAL_DEMO_FRAME_ANCESTORS"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("PORTAL_DEMO_FRAME_ANCESTORS: " + e.getMessage(), e);
        }
        String jdbcUrl = blankToNull(env.get("PORTAL_DEMO_JDBC_URL"));
        String jdbcUser = blankToNull(env.get("PORTAL_DEMO_JDBC_USER"));
        String jdbcPassword = env.get("PORTAL_DEMO_JDBC_PASSWORD");
        String rawOneTime = env.getOrDefault("PORTAL_DEMO_ONE_TIME_LINKS", "").strip().toLowerCase(java.util.Locale.ROOT);
        if (!rawOneTime.isEmpty() && !rawOneTime.equals("true") && !rawOneTime.equals("false")) {
            throw new IllegalArgumentException("PORTAL_DEMO_ONE_TIME_LINKS must be true or false, was '" + rawOneTime + "'");
        }
        boolean oneTimeLinks = rawOneTime.equals("true");
        String apiKey = env.getOrDefault("PORTAL_DEMO_API_KEY", "").strip();
        if (apiKey.isEmpty()) {
            return new DemoConfig(port, randomApiKey(), true, frameAncestors, jdbcUrl, jdbcUser, jdbcPassword, oneTimeLinks);
        }
        return new DemoConfig(port, apiKey, false, frameAncestors, jdbcUrl, jdbcUser, jdbcPassword, oneTimeLinks);
    }

    /**
     * These settings, with the demo app's H2 file ({@value #DEFAULT_JDBC_URL}, user {@code sa}) when no database is
     * named: the runnable demo keeps its data across restarts, while tests keep theirs in memory.
     */
    public DemoConfig withDefaultDatabase() {
        if (jdbcUrl != null) {
            return this;
        }
        return new DemoConfig(port, apiKey, apiKeyGenerated, frameAncestors, DEFAULT_JDBC_URL,
                jdbcUser == null ? "sa" : jdbcUser, jdbcPassword == null ? "" : jdbcPassword, oneTimeLinks);
    }

    /** Whether the data lives in the demo app's H2 file under the working directory. */
    public boolean defaultDatabase() {
        return DEFAULT_JDBC_URL.equals(jdbcUrl);
    }

    /** The URL's sub-protocol, such as {@code jdbc:h2} or {@code jdbc:postgresql}: safe to print, unlike the URL. */
    public String databaseKind() {
        if (jdbcUrl == null) {
            return "jdbc:h2 (in memory)";
        }
        int colon = jdbcUrl.indexOf(':', "jdbc:".length());
        return colon < 0 ? jdbcUrl : jdbcUrl.substring(0, colon);
    }

    /** A new random API key. */
    public static String randomApiKey() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return "demo_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    /** Never prints the key, the password or the URL (which may carry credentials). */
    @Override
    public String toString() {
        return "DemoConfig[port=" + port + ", apiKey=<redacted>, apiKeyGenerated=" + apiKeyGenerated
                + ", frameAncestors=" + frameAncestors + ", database=" + databaseKind() + ", oneTimeLinks=" + oneTimeLinks + "]";
    }
}
