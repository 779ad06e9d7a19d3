package dev.billingportal.core;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The one unchecked exception of the library. It carries a stable {@link ErrorCode}, a stable
 * snake_case {@link #reason()} (the {@code code} of HTTP error bodies, e.g. {@code invoice_not_found})
 * and, for validation errors, the reasons per field.
 *
 * <p>Messages are for humans and may change; codes and reasons are API. Messages never contain
 * tokens or secrets.
 */
public class PortalException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final String reason;
    private final Map<String, List<String>> details;

    /**
     * Creates an exception.
     *
     * @param code    the category
     * @param reason  stable snake_case reason, e.g. {@code customer_not_found}
     * @param message human-readable message
     * @param details per-field reasons (may be empty, never null)
     * @param cause   the underlying failure, or null
     */
    public PortalException(ErrorCode code, String reason, String message,
                           Map<String, List<String>> details, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
        this.reason = Objects.requireNonNull(reason, "reason");
        this.details = copy(details);
    }

    /** Creates an exception without details or cause. */
    public PortalException(ErrorCode code, String reason, String message) {
        this(code, reason, message, Map.of(), null);
    }

    /** A validation error for one field. */
    public static PortalException invalid(String field, String problem) {
        return new PortalException(ErrorCode.VALIDATION_ERROR, "validation_errors",
                field + ": " + problem, Map.of(field, List.of(problem)), null);
    }

    /** A validation error for several fields at once, so a caller can fix them all in one go. */
    public static PortalException invalid(Map<String, List<String>> problems) {
        StringBuilder message = new StringBuilder("invalid input");
        problems.forEach((field, reasons) -> message.append("; ").append(field).append(": ")
                .append(String.join(", ", reasons)));
        return new PortalException(ErrorCode.VALIDATION_ERROR, "validation_errors", message.toString(),
                problems, null);
    }

    /** A not-found error, e.g. {@code notFound("invoice")} has reason {@code invoice_not_found}. */
    public static PortalException notFound(String what) {
        return new PortalException(ErrorCode.NOT_FOUND, what + "_not_found", what + " not found");
    }

    /** A storage failure: retrying may succeed. */
    public static PortalException unavailable(String message, Throwable cause) {
        return new PortalException(ErrorCode.UNAVAILABLE, "unavailable", message, Map.of(), cause);
    }

    /** The category. */
    public ErrorCode code() {
        return code;
    }

    /** The stable snake_case reason, used as {@code code} in HTTP error bodies. */
    public String reason() {
        return reason;
    }

    /** Reasons per field (for {@link ErrorCode#VALIDATION_ERROR}); empty otherwise. */
    public Map<String, List<String>> details() {
        return details;
    }

    private static Map<String, List<String>> copy(Map<String, List<String>> details) {
        if (details == null || details.isEmpty()) {
            return Map.of();
        }
        Map<String, List<String>> copy = new LinkedHashMap<>();
        details.forEach((field, reasons) -> copy.put(field, List.copyOf(reasons)));
        return java.util.Collections.unmodifiableMap(copy);
    }
}
