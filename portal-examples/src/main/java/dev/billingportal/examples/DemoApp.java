package dev.billingportal.examples;

import dev.billingportal.core.session.PortalSession;

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
     * What the person who started the demo needs: a ready link, the API key, and commands that run as pasted into
     * another shell (each value they need is exported first, so no {@code $VARIABLE} is left unset). This goes to the
     * console on purpose, for a human at a terminal; it never goes through the logging system.
     */
    static void printBanner(PrintStream out, DemoServer server, DemoConfig config) {
        PortalSession session = server.createSession(DemoData.DEMO_CUSTOMER);
        String url = session.url().toString();
        String base = server.baseUrl().toString();
        out.println();
        out.println("Billing Portal demo on " + base);
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
        out.println("  Try the API from another shell: paste these lines as they are.");
        if (config.apiKeyGenerated()) {
            out.println("    export PORTAL_DEMO_API_KEY='" + config.apiKey() + "'   # generated; set PORTAL_DEMO_API_KEY to choose one");
        } else {
            out.println("    # PORTAL_DEMO_API_KEY: the key you started the demo with (not printed); export it in this shell too");
        }
        out.println("    # mint a link the way Lago clients do:");
        out.println("    curl -H \"Authorization: Bearer $PORTAL_DEMO_API_KEY\" " + base + "/api/v1/customers/"
                + DemoData.DEMO_CUSTOMER + "/portal_url");
        out.println("    # or the way Flexprice clients do:");
        out.println("    curl -H \"x-api-key: $PORTAL_DEMO_API_KEY\" " + base + "/v1/customers/portal/" + DemoData.DEMO_CUSTOMER);
        out.println("    # or as the host app's signed-in user (a demo sign-in without password), in a browser:");
        out.println("    #   " + base + "/billing/sign-in?customer=" + DemoData.DEMO_CUSTOMER + "   then " + base + "/billing/portal");
        if (config.oneTimeLinks()) {
            out.println("    # exchange the link's token for a session token (this uses up the link above; mint another with the curl above):");
            out.println("    export PORTAL_LINK_TOKEN='" + session.token() + "'");
            out.println("    export PORTAL_TOKEN=$(curl -s -X POST -H \"Authorization: Bearer $PORTAL_LINK_TOKEN\" " + base
                    + "/portal/api/session | sed -E 's/.*\"token\":\"([^\"]+)\".*/\\1/')");
        } else {
            out.println("    # read the portal API with the link's token:");
            out.println("    export PORTAL_TOKEN='" + session.token() + "'");
        }
        out.println("    curl -H \"Authorization: Bearer $PORTAL_TOKEN\" " + base + "/portal/api/overview");
        out.println("    curl -H \"Authorization: Bearer $PORTAL_TOKEN\" \"" + base + "/portal/api/invoices?overdue=true\"");
        out.println();
    }
}
