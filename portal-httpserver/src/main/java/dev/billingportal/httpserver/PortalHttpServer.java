package dev.billingportal.httpserver;

import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * Creates JDK {@link HttpServer}s with TCP_NODELAY on.
 *
 * <p>Why: the JDK's server leaves Nagle's algorithm on by default. It writes a response's headers and body in two
 * writes; with Nagle on, the second waits until the client acknowledges the first, and clients delay that ACK by
 * up to 40 ms. Every request after the first on a keep-alive connection then takes about 40 ms instead of well under
 * one (see BENCHMARKS.md, {@code KeepAliveLatencyBenchmark}).
 *
 * <p>The JDK offers no per-server switch: it reads the system property {@value #NODELAY_PROPERTY} once, when its
 * internal {@code sun.net.httpserver.ServerConfig} class initializes, which is when the JVM's first {@code HttpServer}
 * is created. {@link #create(InetSocketAddress, int)} therefore sets the property to {@code true} (unless the host
 * set it already, to anything) before creating the server. <b>Caveat:</b> if this JVM created an {@code HttpServer}
 * before the first call here (another library, or {@code HttpServer.create} called directly), the property was read
 * then, and setting it now changes nothing. To be sure, start the JVM with {@code -Dsun.net.httpserver.nodelay=true},
 * or call {@code create} before anything else makes a server. When the JDK's setting is readable (with
 * {@code --add-opens jdk.httpserver/sun.net.httpserver=ALL-UNNAMED}), {@code create} logs a WARN if nodelay did not
 * take effect; without that option it cannot tell, and logs nothing.
 */
public final class PortalHttpServer {
    /** The system property the JDK's {@code HttpServer} reads for TCP_NODELAY. */
    public static final String NODELAY_PROPERTY = "sun.net.httpserver.nodelay";

    private static final Logger LOG = LoggerFactory.getLogger(PortalHttpServer.class);

    private PortalHttpServer() {
    }

    /**
     * An unstarted server bound to {@code address}, with TCP_NODELAY on (see the class comment for the one case
     * where that cannot be arranged from here). Add contexts, set an executor, then {@code start()} it.
     *
     * @param address the address to bind, e.g. {@code new InetSocketAddress("localhost", 8080)}; port 0 picks a free one
     * @param backlog the socket backlog; 0 or less for the system default
     * @return the server
     * @throws IOException when the address cannot be bound
     */
    public static HttpServer create(InetSocketAddress address, int backlog) throws IOException {
        requestNoDelay();
        HttpServer server = HttpServer.create(address, backlog);
        // Checked after creating: only then is the JDK's setting certainly loaded.
        if (noDelayInEffect().filter(on -> !on).isPresent()) {
            LOG.warn("TCP_NODELAY is off for this JDK HttpServer: {} was {} when the JVM's first HttpServer was made; "
                    + "keep-alive requests will wait ~40 ms for delayed ACKs. Start the JVM with -D{}=true",
                    NODELAY_PROPERTY, System.getProperty(NODELAY_PROPERTY) == null ? "unset"
                            : "'" + System.getProperty(NODELAY_PROPERTY) + "'", NODELAY_PROPERTY);
        }
        return server;
    }

    /**
     * Whether TCP_NODELAY is on for the JDK's {@code HttpServer} in this JVM, as the JDK itself decided it. Ask after
     * {@link #create} (or any server) was made: asking makes the JDK read its settings, so asking first would fix
     * {@value #NODELAY_PROPERTY} as it is at that moment.
     *
     * @return the JDK's setting, or empty when it cannot be read (the JVM was started without
     *         {@code --add-opens jdk.httpserver/sun.net.httpserver=ALL-UNNAMED}, or another JDK's internals)
     */
    public static Optional<Boolean> noDelayInEffect() {
        try {
            // Reading the class initializes it, freezing the property as it is now: callers only ask after a server exists.
            Class<?> config = Class.forName("sun.net.httpserver.ServerConfig", true, HttpServer.class.getClassLoader());
            Method noDelay = config.getDeclaredMethod("noDelay");
            if (!noDelay.trySetAccessible()) {
                return Optional.empty();
            }
            return Optional.of((Boolean) noDelay.invoke(null));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return Optional.empty();
        }
    }

    /**
     * Sets {@value #NODELAY_PROPERTY} to {@code true} unless it is set already: a host's explicit choice (even
     * {@code false}, for a comparison) wins.
     */
    static void requestNoDelay() {
        if (System.getProperty(NODELAY_PROPERTY) == null) {
            System.setProperty(NODELAY_PROPERTY, "true");
        } else if (!Boolean.parseBoolean(System.getProperty(NODELAY_PROPERTY))) {
            LOG.info("{} is set to '{}' by the host: left as it is, TCP_NODELAY stays off", NODELAY_PROPERTY,
                    System.getProperty(NODELAY_PROPERTY));
        }
    }
}
