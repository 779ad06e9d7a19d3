package dev.billingportal.examples;

import java.io.PrintStream;
import java.time.Clock;

/**
 * Starts the demo: {@code mvn -q -pl portal-examples -am compile exec:java}.
 * Settings come from the environment: {@code PORTAL_DEMO_PORT} (default 8080), {@code PORTAL_DEMO_API_KEY}
 * (made up and printed when unset), {@code PORTAL_DEMO_FRAME_ANCESTORS} (origins that may frame the portal), and
 * {@code PORTAL_DEMO_JDBC_URL} with {@code PORTAL_DEMO_JDBC_USER} and {@code PORTAL_DEMO_JDBC_PASSWORD} (default: an
 * H2 file under {@code ./data}, so the demo's data survives a restart), and {@code PORTAL_DEMO_ONE_TIME_LINKS=true} for
 * links that open the portal once.
 */
public final class DemoApp {
    private DemoApp() {
    }

    /** Runs until the process is stopped. */
    public static void main(String[] args) throws Exception {
        DemoConfig config;
        try {
            config = DemoConfig.fromEnvironment(System.getenv()).withDefaultDatabase();
        } catch (IllegalArgumentException e) {
            System.err.println("Cannot start the demo: " + e.getMessage());
            System.exit(2);
            return;
        }
        DemoServer server = DemoServer.start(config, Clock.systemUTC());
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "demo-shutdown"));
        printBanner(System.out, server, config);
        Thread.currentThread().join();
    }

    /**
     * What the person who started the demo needs: a ready link and the API key. This goes to the console on
     * purpose, for a human at a terminal; it never goes through the logging system.
     */
    static void printBanner(PrintStream out, DemoServer server, DemoConfig config) {
        String url = server.createSession(DemoData.DEMO_CUSTOMER).url().toString();
        out.println();
        out.println("Billing Portal demo on " + server.baseUrl());
        out.println();
        out.println("  Portal link for " + DemoData.DEMO_CUSTOMER + (config.oneTimeLinks()
                ? " (opens the portal once, within 12 hours; PORTAL_DEMO_ONE_TIME_LINKS=true):"
                : " (valid 12 hours):"));
        out.println("    " + url);
        out.println();
        out.println("  Data: " + (config.defaultDatabase() ? "./data/billing-portal-demo (H2 file; delete ./data to start afresh)"
                : config.jdbcUrl() == null ? "in memory, gone when the demo stops"
                : config.databaseKind() + " database of PORTAL_DEMO_JDBC_URL"));
        out.println();
        out.println("  API key" + (config.apiKeyGenerated() ? " (generated; set PORTAL_DEMO_API_KEY to choose one)" : " (from PORTAL_DEMO_API_KEY)") + ":");
        out.println("    " + (config.apiKeyGenerated() ? config.apiKey() : "<as configured>"));
        out.println();
        out.println("  Mint a link the way Lago clients do:");
        out.println("    curl -H \"Authorization: Bearer $PORTAL_DEMO_API_KEY\" " + server.baseUrl()
                + "/api/v1/customers/" + DemoData.DEMO_CUSTOMER + "/portal_url");
        out.println("  Or the way Flexprice clients do:");
        out.println("    curl -H \"x-api-key: $PORTAL_DEMO_API_KEY\" " + server.baseUrl()
                + "/v1/customers/portal/" + DemoData.DEMO_CUSTOMER);
        out.println("  Or as the host app's signed-in user (a demo sign-in without password; then GET /billing/portal):");
        out.println("    " + server.baseUrl() + "/billing/sign-in?customer=" + DemoData.DEMO_CUSTOMER);
        if (config.oneTimeLinks()) {
            out.println("  Exchange the link's token for a session token (once), then read the portal API with that:");
            out.println("    curl -X POST -H \"Authorization: Bearer <link token>\" " + server.baseUrl() + "/portal/api/session");
            out.println("    curl -H \"Authorization: Bearer <session token>\" " + server.baseUrl() + "/portal/api/overview");
        } else {
            out.println("  Read the portal API with the link's token:");
            out.println("    curl -H \"Authorization: Bearer <token>\" " + server.baseUrl() + "/portal/api/overview");
        }
        out.println();
    }
}
