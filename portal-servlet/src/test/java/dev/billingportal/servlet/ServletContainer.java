package dev.billingportal.servlet;

import jakarta.servlet.http.HttpServlet;

import java.net.URI;
import java.util.Map;

/** A real servlet container serving HTTP on 127.0.0.1, on a port of its own choosing. */
interface ServletContainer extends AutoCloseable {

    /** Starts a container with one web application at {@code contextPath} ("" for the root) holding these servlets. */
    interface Factory {
        ServletContainer start(String contextPath, Map<String, HttpServlet> servletsByMapping) throws Exception;
    }

    /** {@code http://127.0.0.1:port}, without the context path. */
    URI origin();

    /** Stops it and frees the port. */
    @Override
    void close() throws Exception;
}
