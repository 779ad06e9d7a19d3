package dev.billingportal.servlet;

/** The portal through {@link PortalServlet} on embedded Tomcat 11 (Servlet 6.1). */
class TomcatPortalServletTest extends PortalServletContract {
    @Override
    ServletContainer.Factory containers() {
        return TomcatContainer::start;
    }
}
