package dev.billingportal.core.api.internal;

import dev.billingportal.core.CustomerRef;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The API keys of a host endpoint, each for one tenant, kept as SHA-256 digests and compared in constant time (every
 * key is compared, so timing tells nothing about which matched). Not API.
 */
public final class ApiKeys {
    private record Key(byte[] digest, String tenantId) {
    }

    private final List<Key> keys = new ArrayList<>();
    private final int minLength;
    private final String owner;
    private final String purpose;
    private final String environmentExample;

    /**
     * An empty set of keys.
     *
     * @param minLength          shortest key accepted
     * @param owner              the endpoint's class, for error messages (e.g. {@code LagoCompatibleApi})
     * @param purpose            what the key is, for error messages
     * @param environmentExample an environment variable a host would read it from, for error messages
     */
    public ApiKeys(int minLength, String owner, String purpose, String environmentExample) {
        this.minLength = minLength;
        this.owner = owner;
        this.purpose = purpose;
        this.environmentExample = environmentExample;
    }

    /**
     * Adds a key for a tenant.
     *
     * @throws NullPointerException     naming {@code apiKey} (and why it is needed) or {@code tenantId} when null
     * @throws IllegalArgumentException naming {@code apiKey} when it is short, padded or configured twice
     */
    public void add(String apiKey, String tenantId) {
        if (apiKey == null) {
            // Usually an environment variable that is not set: say so, rather than a bare NPE.
            throw new NullPointerException("apiKey is null: " + owner + " needs " + purpose + ", at least " + minLength
                    + " characters (an environment variable that is not set, such as System.getenv(\""
                    + environmentExample + "\"), reads as null)");
        }
        if (tenantId == null) {
            throw new NullPointerException("tenantId: the tenant the apiKey's calls act for");
        }
        if (apiKey.strip().length() < minLength || !apiKey.equals(apiKey.strip())) {
            throw new IllegalArgumentException("apiKey must be at least " + minLength
                    + " characters without surrounding blanks (was " + apiKey.length() + " characters)");
        }
        CustomerRef.of(tenantId, "x"); // validates the tenant id
        byte[] digest = Http.sha256(apiKey);
        for (Key existing : keys) {
            if (MessageDigest.isEqual(existing.digest, digest)) {
                throw new IllegalArgumentException("the same API key is configured twice");
            }
        }
        keys.add(new Key(digest, tenantId));
    }

    /** Whether no key is configured. */
    public boolean isEmpty() {
        return keys.isEmpty();
    }

    /** The tenant of the presented key, or empty for an unknown one. */
    public Optional<String> tenantOf(String presented) {
        if (presented == null) {
            return Optional.empty();
        }
        byte[] digest = Http.sha256(presented);
        String tenant = null;
        for (Key key : keys) {
            if (MessageDigest.isEqual(key.digest, digest)) {
                tenant = key.tenantId;
            }
        }
        return Optional.ofNullable(tenant);
    }
}
