package dev.billingportal.servlet;

import jakarta.servlet.http.HttpServlet;

import java.net.URI;
import java.util.Map;

/** A real servlet container serving HTTP on 127.0.0.1, on a port of its own choosing. */
interface ServletContainer extends AutoCloseable {

    /**
     * Starts a container listening on {@code host} (an IP address) with one web application at {@code contextPath}
     * ("" for the root) holding these servlets.
     */
    interface Factory {
        ServletContainer start(String host, String contextPath, Map<String, HttpServlet> servletsByMapping) throws Exception;

        /** As {@link #start(String, String, Map)} on 127.0.0.1. */
        default ServletContainer start(String contextPath, Map<String, HttpServlet> servletsByMapping) throws Exception {
            return start("127.0.0.1", contextPath, servletsByMapping);
        }
    }

    /** {@code http://127.0.0.1:port} (or {@code http://[::1]:port}), without the context path. */
    URI origin();

    /** Stops it and frees the port. */
    @Override
    void close() throws Exception;
}
