package dev.billingportal.examples;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

/**
 * The demo's settings, read from the environment.
 *
 * @param port            {@code PORTAL_DEMO_PORT}, default 8080 (0 picks a free port)
 * @param apiKey          {@code PORTAL_DEMO_API_KEY}; when unset a random key is made and printed
 * @param apiKeyGenerated whether {@code apiKey} was made up because none was set
 * @param jdbcUrl         {@code PORTAL_DEMO_JDBC_URL}; default {@value #DEFAULT_JDBC_URL}, an H2 file under the
 *                        working directory
 * @param jdbcUser        {@code PORTAL_DEMO_JDBC_USER}, or null to leave it to the URL (H2 default: {@code sa})
 * @param jdbcPassword    {@code PORTAL_DEMO_JDBC_PASSWORD}, or null to leave it to the URL
 */
public record DemoConfig(int port, String apiKey, boolean apiKeyGenerated, String jdbcUrl, String jdbcUser,
                         String jdbcPassword) {
    /** Port when {@code PORTAL_DEMO_PORT} is unset. */
    public static final int DEFAULT_PORT = 8080;
    /** Database when {@code PORTAL_DEMO_JDBC_URL} is unset: an H2 file, so demo data survives a restart. */
    public static final String DEFAULT_JDBC_URL = "jdbc:h2:file:./data/billing-portal-demo";

    /** Validates the port, key and database URL. */
    public DemoConfig {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("PORTAL_DEMO_PORT must be a port number from 0 to 65535, was " + port);
        }
        if (apiKey == null || apiKey.length() < 16) {
            throw new IllegalArgumentException("PORTAL_DEMO_API_KEY must be at least 16 characters");
        }
        if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:")) {
            throw new IllegalArgumentException("PORTAL_DEMO_JDBC_URL must be a JDBC URL starting with jdbc:");
        }
    }

    /**
     * A config over a private in-memory H2 database that lives as long as the JVM: for tests and examples, which
     * must neither touch {@code ./data} nor see each other's data.
     *
     * @param port            the port (0 picks a free one)
     * @param apiKey          the API key, at least 16 characters
     * @param apiKeyGenerated whether the key was made up
     */
    public DemoConfig(int port, String apiKey, boolean apiKeyGenerated) {
        this(port, apiKey, apiKeyGenerated, "jdbc:h2:mem:portal-demo-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
                "sa", "");
    }

    /**
     * Reads {@code PORTAL_DEMO_PORT}, {@code PORTAL_DEMO_API_KEY}, {@code PORTAL_DEMO_JDBC_URL},
     * {@code PORTAL_DEMO_JDBC_USER} and {@code PORTAL_DEMO_JDBC_PASSWORD} from {@code env}.
     */
    public static DemoConfig fromEnvironment(Map<String, String> env) {
        String rawPort = env.getOrDefault("PORTAL_DEMO_PORT", "").strip();
        int port;
        try {
            port = rawPort.isEmpty() ? DEFAULT_PORT : Integer.parseInt(rawPort);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("PORTAL_DEMO_PORT must be a port number, was '" + rawPort + "'");
        }
        String jdbcUrl = env.getOrDefault("PORTAL_DEMO_JDBC_URL", "").strip();
        String user = blankToNull(env.get("PORTAL_DEMO_JDBC_USER"));
        String password = env.get("PORTAL_DEMO_JDBC_PASSWORD");
        if (jdbcUrl.isEmpty()) {
            jdbcUrl = DEFAULT_JDBC_URL;
            user = user == null ? "sa" : user;
            password = password == null ? "" : password;
        }
        String apiKey = env.getOrDefault("PORTAL_DEMO_API_KEY", "").strip();
        if (apiKey.isEmpty()) {
            return new DemoConfig(port, randomApiKey(), true, jdbcUrl, user, password);
        }
        return new DemoConfig(port, apiKey, false, jdbcUrl, user, password);
    }

    /** Whether the data lives in the default H2 file under the working directory. */
    public boolean defaultDatabase() {
        return DEFAULT_JDBC_URL.equals(jdbcUrl);
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

    /** Never prints the key, the password or the URL (which may carry credentials): only the URL's database kind. */
    @Override
    public String toString() {
        return "DemoConfig[port=" + port + ", apiKey=<redacted>, apiKeyGenerated=" + apiKeyGenerated
                + ", jdbcUrl=" + databaseKind() + ":<redacted>, jdbcUser=" + (jdbcUser == null ? "<none>" : "<set>")
                + ", jdbcPassword=<redacted>]";
    }

    /** The URL's sub-protocol, such as {@code jdbc:h2} or {@code jdbc:postgresql}: safe to print. */
    public String databaseKind() {
        int colon = jdbcUrl.indexOf(':', "jdbc:".length());
        return colon < 0 ? jdbcUrl : jdbcUrl.substring(0, colon);
    }
}
