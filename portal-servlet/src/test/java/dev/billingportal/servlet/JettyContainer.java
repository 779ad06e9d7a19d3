package dev.billingportal.servlet;

import jakarta.servlet.http.HttpServlet;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

import java.net.URI;
import java.util.Map;

/** Embedded Jetty 12.1, its Servlet 6.1 environment (ee11). */
final class JettyContainer implements ServletContainer {
    private final Server server;
    private final ServerConnector connector;

    private final String host;

    private JettyContainer(Server server, ServerConnector connector, String host) {
        this.server = server;
        this.connector = connector;
        this.host = host;
    }

    static ServletContainer start(String host, String contextPath, Map<String, HttpServlet> servletsByMapping) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost(host);
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath(contextPath.isEmpty() ? "/" : contextPath);
        // As docs/servlet.md shows it.
        servletsByMapping.forEach((mapping, servlet) -> context.addServlet(servlet, mapping));
        server.setHandler(context);
        server.start();
        return new JettyContainer(server, connector, host);
    }

    @Override
    public URI origin() {
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + connector.getLocalPort());
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
