/**
 * Serves Billing Portal on the JDK's built-in {@code com.sun.net.httpserver.HttpServer} (module
 * {@code jdk.httpserver}, part of every JDK; no dependency beyond portal-core).
 *
 * <pre>{@code
 * HttpServer server = PortalHttpServer.create(new InetSocketAddress(8080), 0);   // TCP_NODELAY on
 * PortalApi api = PortalApi.of(portal);
 * server.createContext(api.uiPath(), new PortalHttpHandler(api::handle));
 * server.start();
 * }</pre>
 *
 * <p>{@link dev.billingportal.httpserver.PortalHttpServer} exists because the JDK's server leaves Nagle's algorithm
 * on unless the system property {@code sun.net.httpserver.nodelay} is {@code true} when its first server is made;
 * with Nagle on, every request after the first on a keep-alive connection waits for the client's delayed ACK.
 */
package dev.billingportal.httpserver;
