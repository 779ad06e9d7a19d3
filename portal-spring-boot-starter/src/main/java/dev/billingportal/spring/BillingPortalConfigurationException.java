package dev.billingportal.spring;

/**
 * A {@code billing-portal.*} setting is missing or wrong: start-up stops, and
 * {@link BillingPortalFailureAnalyzer} reports which setting and what to do. The message names the setting and
 * never holds a secret's value.
 */
public final class BillingPortalConfigurationException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    private final String property;
    private final String problem;
    private final String action;

    /**
     * A problem with one setting.
     *
     * @param property the setting, e.g. {@code billing-portal.portal-url}
     * @param problem  what is wrong, a sentence that starts with the setting's name
     * @param action   what to do about it
     */
    public BillingPortalConfigurationException(String property, String problem, String action) {
        this(property, problem, action, null);
    }

    /**
     * A problem with one setting, found by a builder that threw {@code cause}.
     *
     * @param property the setting, e.g. {@code billing-portal.session-ttl}
     * @param problem  what is wrong, a sentence that starts with the setting's name
     * @param action   what to do about it
     * @param cause    the builder's exception, or null
     */
    public BillingPortalConfigurationException(String property, String problem, String action, Throwable cause) {
        super(problem + " (" + action + ")", cause);
        this.property = property;
        this.problem = problem;
        this.action = action;
    }

    /** The setting at fault, e.g. {@code billing-portal.portal-url}. */
    public String property() {
        return property;
    }

    /** What is wrong, without the action. */
    public String problem() {
        return problem;
    }

    /** What to do about it. */
    public String action() {
        return action;
    }
}
