package dev.billingportal.core.token;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The keys portal tokens are signed and verified with, by {@code kid}. Exactly one key is
 * {@link KeyState#ACTIVE active} and signs new tokens; every key that is not {@link KeyState#RETIRED retired}
 * verifies. Rotating therefore logs nobody out: {@link #rotate} makes a new key active and keeps the old one
 * verifying until you {@link #retire} it, after the longest session lifetime has passed.
 *
 * <p>Thread-safe: changes are atomic and visible to the next verification on any thread.
 */
public final class KeyRing {

    /** Where a key stands in its rotation. */
    public enum KeyState {
        /** Signs new tokens and verifies. */
        ACTIVE,
        /** Verifies tokens it signed earlier (or that are signed elsewhere); signs nothing. */
        VERIFY_ONLY,
        /** Verifies nothing: every token signed with it is rejected. Final. */
        RETIRED
    }

    private record Entry(SigningKey key, KeyState state) {
    }

    /** An immutable view swapped as a whole, so readers never see a half-made change. */
    private record Snapshot(Map<String, Entry> byKid, SigningKey active, Map<String, SigningKey> byHeaderSegment) {
        static Snapshot of(Map<String, Entry> byKid) {
            SigningKey active = null;
            Map<String, SigningKey> byHeader = new LinkedHashMap<>();
            for (Entry entry : byKid.values()) {
                if (entry.state == KeyState.ACTIVE) {
                    active = entry.key;
                }
                if (entry.state != KeyState.RETIRED) {
                    byHeader.put(entry.key.headerSegment(), entry.key);
                }
            }
            return new Snapshot(Collections.unmodifiableMap(new LinkedHashMap<>(byKid)), active,
                    Collections.unmodifiableMap(byHeader));
        }
    }

    private volatile Snapshot snapshot;

    private KeyRing(Snapshot snapshot) {
        this.snapshot = snapshot;
    }

    /**
     * A ring whose {@code active} key signs, and whose {@code verifyOnly} keys (earlier keys still honoured)
     * only verify.
     *
     * @throws IllegalArgumentException when the active key cannot sign or two keys share a kid
     */
    public static KeyRing of(SigningKey active, SigningKey... verifyOnly) {
        Objects.requireNonNull(active, "active");
        requireCanSign(active);
        Map<String, Entry> byKid = new LinkedHashMap<>();
        byKid.put(active.kid(), new Entry(active, KeyState.ACTIVE));
        for (SigningKey key : verifyOnly) {
            Objects.requireNonNull(key, "verifyOnly key");
            if (byKid.putIfAbsent(key.kid(), new Entry(key, KeyState.VERIFY_ONLY)) != null) {
                throw new IllegalArgumentException("duplicate kid " + key.kid());
            }
        }
        return new KeyRing(Snapshot.of(byKid));
    }

    /** The key that signs new tokens. */
    public SigningKey activeKey() {
        return snapshot.active;
    }

    /** The key with this kid if it may verify (active or verify-only); empty for unknown or retired kids. */
    public Optional<SigningKey> verificationKey(String kid) {
        Entry entry = snapshot.byKid.get(kid);
        return entry == null || entry.state == KeyState.RETIRED ? Optional.empty() : Optional.of(entry.key);
    }

    /** The state of the key with this kid, or empty if the ring never held it. */
    public Optional<KeyState> state(String kid) {
        return Optional.ofNullable(snapshot.byKid.get(kid)).map(Entry::state);
    }

    /** Every kid with its state, in the order keys were added. */
    public Map<String, KeyState> states() {
        Map<String, KeyState> states = new LinkedHashMap<>();
        snapshot.byKid.forEach((kid, entry) -> states.put(kid, entry.state));
        return Collections.unmodifiableMap(states);
    }

    /**
     * Makes {@code next} the active key; the former active key keeps verifying. Publish {@code next} in your
     * JWKS before rotating if other services verify tokens.
     *
     * @throws IllegalArgumentException when {@code next} cannot sign or its kid is already in the ring
     */
    public synchronized void rotate(SigningKey next) {
        Objects.requireNonNull(next, "next");
        requireCanSign(next);
        Map<String, Entry> byKid = new LinkedHashMap<>(snapshot.byKid);
        if (byKid.containsKey(next.kid())) {
            throw new IllegalArgumentException("kid " + next.kid() + " is already in the ring");
        }
        byKid.replaceAll((kid, entry) -> entry.state == KeyState.ACTIVE ? new Entry(entry.key, KeyState.VERIFY_ONLY) : entry);
        byKid.put(next.kid(), new Entry(next, KeyState.ACTIVE));
        snapshot = Snapshot.of(byKid);
    }

    /** Adds a key that only verifies (a key of another signer, or the next key announced before rotation). */
    public synchronized void addVerifyOnly(SigningKey key) {
        Objects.requireNonNull(key, "key");
        Map<String, Entry> byKid = new LinkedHashMap<>(snapshot.byKid);
        if (byKid.putIfAbsent(key.kid(), new Entry(key, KeyState.VERIFY_ONLY)) != null) {
            throw new IllegalArgumentException("kid " + key.kid() + " is already in the ring");
        }
        snapshot = Snapshot.of(byKid);
    }

    /**
     * Retires a key: from now on every token signed with it is rejected. Final: a retired kid never verifies
     * again and cannot be re-added.
     *
     * @throws IllegalArgumentException for an unknown kid
     * @throws IllegalStateException    for the active key (rotate first)
     */
    public synchronized void retire(String kid) {
        Entry entry = snapshot.byKid.get(kid);
        if (entry == null) {
            throw new IllegalArgumentException("unknown kid " + kid);
        }
        if (entry.state == KeyState.ACTIVE) {
            throw new IllegalStateException("kid " + kid + " is the active key; rotate to another key before retiring it");
        }
        Map<String, Entry> byKid = new LinkedHashMap<>(snapshot.byKid);
        byKid.put(kid, new Entry(entry.key, KeyState.RETIRED));
        snapshot = Snapshot.of(byKid);
    }

    /**
     * The public keys that verify (active and verify-only ES256 and EdDSA keys) as a JWKS document
     * ({@code {"keys":[...]}}). HS256 secrets are never included; a ring of HS256 keys gives an empty set.
     */
    public String jwks() {
        List<JWK> keys = new ArrayList<>();
        for (Entry entry : snapshot.byKid.values()) {
            if (entry.state != KeyState.RETIRED) {
                entry.key.publicJwk().ifPresent(keys::add);
            }
        }
        return new JWKSet(keys).toString(true);
    }

    /** The non-retired key whose exact header segment this is, for the fast verification path. */
    SigningKey byHeaderSegment(String headerSegment) {
        return snapshot.byHeaderSegment.get(headerSegment);
    }

    private static void requireCanSign(SigningKey key) {
        if (!key.canSign()) {
            throw new IllegalArgumentException("key " + key.kid() + " only verifies and cannot be the active key");
        }
    }

    /** Kids and states only. */
    @Override
    public String toString() {
        return "KeyRing" + states();
    }
}
