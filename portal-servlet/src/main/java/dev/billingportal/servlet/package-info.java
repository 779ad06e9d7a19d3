/**
 * The portal on any Jakarta Servlet 6 container: {@link dev.billingportal.servlet.PortalServlet} serves
 * {@code PortalApi::handle} (the page and its API) or {@code LagoCompatibleApi::handle} (the host endpoint), with a
 * body limit, the client's address from the socket or from {@link dev.billingportal.servlet.TrustedProxies trusted
 * proxies}, {@code HEAD} and streamed downloads.
 */
package dev.billingportal.servlet;
