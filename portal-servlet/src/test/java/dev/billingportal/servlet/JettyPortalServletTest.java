package dev.billingportal.servlet;

/** The portal through {@link PortalServlet} on embedded Jetty 12.1 (ee11, Servlet 6.1). */
class JettyPortalServletTest extends PortalServletContract {
    @Override
    ServletContainer.Factory containers() {
        return JettyContainer::start;
    }
}
