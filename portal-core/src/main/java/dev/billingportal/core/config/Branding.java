package dev.billingportal.core.config;

import dev.billingportal.core.internal.Checks;

import java.net.URI;

/**
 * How the portal page presents the host: the name in its title, a logo and an accent colour.
 *
 * @param name         product or company name shown in the page title
 * @param logoUrl      absolute http(s) URL of a logo, or null
 * @param accentColor  a CSS hex colour such as {@code #2563eb}
 */
public record Branding(String name, URI logoUrl, String accentColor) {

    /** The branding used when none is configured. */
    public static final Branding DEFAULT = new Branding("Billing", null, "#2563eb");

    /** Validates the parts. */
    public Branding {
        Checks.id(name, "branding.name");
        Checks.optionalHttpUrl(logoUrl, "branding.logo_url");
        Checks.required(accentColor, "branding.accent_color");
        if (!accentColor.matches("#[0-9a-fA-F]{6}")) {
            throw dev.billingportal.core.PortalException.invalid("branding.accent_color", "must be a hex colour like #2563eb");
        }
    }
}
