package dev.billingportal.core.config;

import dev.billingportal.core.internal.Checks;

import java.net.URI;

/**
 * What the page says about the business behind it (Stripe's {@code business_profile}).
 *
 * @param headline         a short line shown above the portal, or null
 * @param privacyPolicyUrl a link to the privacy policy, or null
 * @param termsOfServiceUrl a link to the terms of service, or null
 */
public record BusinessProfile(String headline, URI privacyPolicyUrl, URI termsOfServiceUrl) {

    /** No headline, no links. */
    public static final BusinessProfile NONE = new BusinessProfile(null, null, null);

    /** Validates the profile. */
    public BusinessProfile {
        Checks.optionalText(headline, "business_profile.headline");
        if (headline != null && headline.length() > 200) {
            throw new IllegalArgumentException("business_profile.headline must be at most 200 characters");
        }
        Checks.optionalHttpUrl(privacyPolicyUrl, "business_profile.privacy_policy_url");
        Checks.optionalHttpUrl(termsOfServiceUrl, "business_profile.terms_of_service_url");
    }
}
