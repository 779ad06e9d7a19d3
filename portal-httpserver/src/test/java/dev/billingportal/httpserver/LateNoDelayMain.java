package dev.billingportal.httpserver;

import com.sun.net.httpserver.HttpServer;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Run in a JVM of its own by {@link PortalHttpServerTest}: the host makes an {@code HttpServer} before the portal's
 * factory, so the JDK has already read (and fixed) nodelay off, and the factory must say so.
 */
final class LateNoDelayMain {
    private LateNoDelayMain() {
    }

    public static void main(String[] args) throws Exception {
        HttpServer early = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        HttpServer late = PortalHttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        System.out.println("property: " + System.getProperty(PortalHttpServer.NODELAY_PROPERTY)
                + ", in effect: " + PortalHttpServer.noDelayInEffect().orElse(null));
        early.stop(0);
        late.stop(0);
    }
}
