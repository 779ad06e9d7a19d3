package dev.billingportal.examples.spring;

import dev.billingportal.core.PortalService;
import dev.billingportal.core.session.SessionRequest;
import dev.billingportal.core.session.PortalSession;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.security.Principal;

/**
 * The host's side: a signed-in user opens {@code /billing} and is sent to their own portal. Here the login name
 * is the billing customer's external id; map it however your accounts know their customer. The customer comes
 * from the authenticated user, never from a request parameter, or anyone could open anyone's portal.
 */
@RestController
public class BillingController {
    private final PortalService portal;

    /**
     * Uses the portal service the starter built.
     *
     * @param portal the portal service
     */
    public BillingController(PortalService portal) {
        this.portal = portal;
    }

    /**
     * Redirects the signed-in user to a fresh portal link.
     *
     * @param user the authenticated user (Spring Security, or the container's login), null when nobody signed in
     * @return 302 to the portal, or 401 when nobody is signed in
     */
    @GetMapping("/billing")
    public ResponseEntity<Void> billing(Principal user) {
        if (user == null) {
            return ResponseEntity.status(HttpStatus.UNAUTHORIZED).build();
        }
        PortalSession session = portal.createSession(SessionRequest.forCustomer(user.getName())
                .returnUrl(URI.create("https://app.example.com/settings")));
        return ResponseEntity.status(HttpStatus.FOUND).location(session.url()).build();
    }
}
