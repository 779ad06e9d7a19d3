package dev.billingportal.core.config;

import dev.billingportal.core.i18n.PortalLocales;
import dev.billingportal.core.internal.Checks;

import java.net.URI;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * How the portal behaves for the sessions that use it: who may frame it, its default language and return URL, what
 * it says about the business, and what each feature lets the customer do. Immutable; built with {@link #builder}
 * (every setting has a named default) and copied with {@link #toBuilder()}.
 *
 * <p>A tenant may keep several, by name (a "self-serve" and a "read-only" one, say), in {@link PortalConfigurations};
 * a session picks one with {@code SessionRequest.configuration(name)}, else gets its tenant's default, else the
 * service's default. A feature is on for a session only when its settings enable it and its provider is installed;
 * {@code GET /portal/api/config} reports exactly that under {@code features}.
 *
 * @param name             the configuration's name within its tenant
 * @param frameAncestors   the origins that may frame the page and receive its {@code postMessage}s (empty: none)
 * @param defaultLocale    the language of sessions that name none and whose customer has none, or null
 * @param defaultReturnUrl where the page's "back" link goes when the session names no return URL, or null
 * @param businessProfile  headline and policy links the page shows
 * @param branding         the page's name, logo and colour, or null for the API's branding
 * @param invoices         invoice history and invoice payments
 * @param profile          which profile fields the customer may edit
 * @param subscriptions    what the customer may do to subscriptions
 * @param paymentMethods   payment method management
 * @param usage            whether current usage is shown
 * @param wallets          prepaid wallets and top-ups
 */
public record PortalConfiguration(String name, List<String> frameAncestors, Locale defaultLocale, URI defaultReturnUrl,
                                  BusinessProfile businessProfile, Branding branding, InvoiceSettings invoices,
                                  ProfileSettings profile, SubscriptionSettings subscriptions,
                                  PaymentMethodSettings paymentMethods, boolean usage, WalletSettings wallets) {

    /** The name of the configuration a service uses when nothing else applies. */
    public static final String DEFAULT_NAME = "default";
    /** Most frame ancestors one configuration may list. */
    public static final int MAX_FRAME_ANCESTORS = 32;
    /** The configuration of every default: not framable, invoices only, no profile edits. */
    public static final PortalConfiguration DEFAULT = builder().build();

    /** Validates and normalises (origins to their normal form, duplicates dropped). */
    public PortalConfiguration {
        Checks.id(name, "name");
        if (name.length() > 64 || !name.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
            throw new IllegalArgumentException("configuration name must be 1-64 letters, digits, '_', '.' or '-': "
                    + name.replaceAll("\\p{Cntrl}", "?"));
        }
        Objects.requireNonNull(frameAncestors, "frameAncestors");
        if (frameAncestors.size() > MAX_FRAME_ANCESTORS) {
            throw new IllegalArgumentException("at most " + MAX_FRAME_ANCESTORS + " frame ancestors per configuration, were "
                    + frameAncestors.size());
        }
        LinkedHashSet<String> origins = new LinkedHashSet<>();
        for (String origin : frameAncestors) {
            origins.add(Origins.normaliseOrigin(origin));
        }
        frameAncestors = List.copyOf(origins);
        if (defaultLocale != null && PortalLocales.match(defaultLocale).isEmpty()) {
            throw new IllegalArgumentException("defaultLocale " + defaultLocale.toLanguageTag()
                    + " is not a supported portal language; supported: " + PortalLocales.SUPPORTED);
        }
        Checks.optionalHttpUrl(defaultReturnUrl, "default_return_url");
        Objects.requireNonNull(businessProfile, "businessProfile");
        Objects.requireNonNull(invoices, "invoices");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(subscriptions, "subscriptions");
        Objects.requireNonNull(paymentMethods, "paymentMethods");
        Objects.requireNonNull(wallets, "wallets");
    }

    /** A builder with every default, named {@value #DEFAULT_NAME}. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this configuration's settings. */
    public Builder toBuilder() {
        return new Builder().name(name).frameAncestors(frameAncestors).defaultLocale(defaultLocale)
                .defaultReturnUrl(defaultReturnUrl).businessProfile(businessProfile).branding(branding)
                .invoices(invoices).profile(profile).subscriptions(subscriptions).paymentMethods(paymentMethods)
                .usage(usage).wallets(wallets);
    }

    /** Builds a {@link PortalConfiguration}; every setting has the default its setter names. */
    public static final class Builder {
        private String name = DEFAULT_NAME;
        private List<String> frameAncestors = List.of();
        private Locale defaultLocale;
        private URI defaultReturnUrl;
        private BusinessProfile businessProfile = BusinessProfile.NONE;
        private Branding branding;
        private InvoiceSettings invoices = InvoiceSettings.DEFAULT;
        private ProfileSettings profile = ProfileSettings.DISABLED;
        private SubscriptionSettings subscriptions = SubscriptionSettings.DEFAULT;
        private PaymentMethodSettings paymentMethods = PaymentMethodSettings.DEFAULT;
        private boolean usage = true;
        private WalletSettings wallets = WalletSettings.DEFAULT;

        private Builder() {
        }

        /** Name within the tenant (default {@value PortalConfiguration#DEFAULT_NAME}). */
        public Builder name(String name) { this.name = name; return this; }

        /** Origins that may frame the page (default none: not framable). */
        public Builder frameAncestors(List<String> origins) { this.frameAncestors = new java.util.ArrayList<>(origins); return this; }

        /** Origins that may frame the page (default none: not framable). */
        public Builder frameAncestors(String... origins) { return frameAncestors(List.of(origins)); }

        /** Default language (default none: the service's). */
        public Builder defaultLocale(Locale locale) { this.defaultLocale = locale; return this; }

        /** Default return URL (default none). */
        public Builder defaultReturnUrl(URI url) { this.defaultReturnUrl = url; return this; }

        /** Headline and policy links (default {@link BusinessProfile#NONE}). */
        public Builder businessProfile(BusinessProfile profile) { this.businessProfile = profile; return this; }

        /** Name, logo and colour (default none: the API's branding). */
        public Builder branding(Branding branding) { this.branding = branding; return this; }

        /** Invoice history and payments (default {@link InvoiceSettings#DEFAULT}). */
        public Builder invoices(InvoiceSettings invoices) { this.invoices = invoices; return this; }

        /** Profile edits (default {@link ProfileSettings#DISABLED}). */
        public Builder profile(ProfileSettings profile) { this.profile = profile; return this; }

        /** Subscriptions (default {@link SubscriptionSettings#DEFAULT}). */
        public Builder subscriptions(SubscriptionSettings subscriptions) { this.subscriptions = subscriptions; return this; }

        /** Payment methods (default {@link PaymentMethodSettings#DEFAULT}). */
        public Builder paymentMethods(PaymentMethodSettings paymentMethods) { this.paymentMethods = paymentMethods; return this; }

        /** Usage shown (default true; needs a usage provider). */
        public Builder usage(boolean usage) { this.usage = usage; return this; }

        /** Wallets (default {@link WalletSettings#DEFAULT}). */
        public Builder wallets(WalletSettings wallets) { this.wallets = wallets; return this; }

        /**
         * Validates and builds.
         *
         * @throws IllegalArgumentException naming the bad setting
         */
        public PortalConfiguration build() {
            return new PortalConfiguration(name, frameAncestors, defaultLocale, defaultReturnUrl, businessProfile,
                    branding, invoices, profile, subscriptions, paymentMethods, usage, wallets);
        }
    }
}
