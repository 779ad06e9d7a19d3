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
    private final String setting;

    /**
     * An empty set of keys.
     *
     * @param minLength shortest key accepted
     * @param setting   the builder setting's name, for error messages (e.g. {@code LagoCompatibleApi.apiKey})
     */
    public ApiKeys(int minLength, String setting) {
        this.minLength = minLength;
        this.setting = setting;
    }

    /**
     * Adds a key for a tenant.
     *
     * @throws IllegalArgumentException naming the setting when the key is null, short, padded or configured twice
     */
    public void add(String apiKey, String tenantId) {
        if (apiKey == null) {
            throw new IllegalArgumentException(setting + " must not be null: give the API key clients send as "
                    + "credentials (at least " + minLength + " characters); read it from your secret store");
        }
        if (tenantId == null) {
            throw new IllegalArgumentException(setting + ": tenantId must not be null");
        }
        if (apiKey.strip().length() < minLength || !apiKey.equals(apiKey.strip())) {
            throw new IllegalArgumentException(setting + ": API keys must be at least " + minLength
                    + " characters without surrounding blanks");
        }
        CustomerRef.of(tenantId, "x"); // validates the tenant id
        byte[] digest = Http.sha256(apiKey);
        for (Key existing : keys) {
            if (MessageDigest.isEqual(existing.digest, digest)) {
                throw new IllegalArgumentException(setting + ": the same API key is configured twice");
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
