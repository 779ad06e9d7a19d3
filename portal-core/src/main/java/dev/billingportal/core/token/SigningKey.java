package dev.billingportal.core.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.Base64URL;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One key of a {@link KeyRing}, named by its {@code kid}: an HS256 secret, or an ES256 / Ed25519 key pair
 * (or only a public key, to verify tokens signed elsewhere). Key material never appears in
 * {@link #toString()}. Instances are immutable and thread-safe.
 */
public final class SigningKey {
    /** Shortest HS256 secret accepted: 256 bits, as RFC 7518 section 3.2 requires. */
    public static final int MIN_HMAC_SECRET_BYTES = 32;

    private static final Pattern KID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final SecureRandom RANDOM = new SecureRandom();
    /** X.509 SubjectPublicKeyInfo prefix of an Ed25519 key; the raw 32-byte key follows it. */
    private static final byte[] ED25519_X509_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

    private final String kid;
    private final JwtAlgorithm algorithm;
    private final SecretKeySpec secret;
    private final PrivateKey privateKey;
    private final PublicKey publicKey;
    private final String headerSegment;
    private final JWSHeader header;
    // Mac.getInstance and init cost microseconds; one initialised Mac per thread keeps HS256 checks cheap.
    private final ThreadLocal<Mac> macs;
    private final ECDSASigner ecSigner;
    private final ECDSAVerifier ecVerifier;

    private SigningKey(String kid, JwtAlgorithm algorithm, byte[] secret, PrivateKey privateKey, PublicKey publicKey) {
        if (kid == null || !KID.matcher(kid).matches()) {
            throw new IllegalArgumentException("kid must be 1 to 64 characters of A-Z a-z 0-9 . _ -");
        }
        this.kid = kid;
        this.algorithm = algorithm;
        this.secret = secret == null ? null : new SecretKeySpec(secret, "HmacSHA256");
        this.privateKey = privateKey;
        this.publicKey = publicKey;
        // The exact header this library writes; tokens carrying it take the fast verification path.
        String headerJson = "{\"alg\":\"" + algorithm.jwsName() + "\",\"kid\":\"" + kid + "\",\"typ\":\"JWT\"}";
        this.headerSegment = Base64.getUrlEncoder().withoutPadding().encodeToString(headerJson.getBytes(StandardCharsets.UTF_8));
        this.header = new JWSHeader.Builder(JWSAlgorithm.parse(algorithm.jwsName())).keyID(kid).type(JOSEObjectType.JWT).build();
        this.macs = secret == null ? null : ThreadLocal.withInitial(this::newMac);
        try {
            this.ecSigner = algorithm == JwtAlgorithm.ES256 && privateKey != null ? new ECDSASigner((ECPrivateKey) privateKey) : null;
            this.ecVerifier = algorithm == JwtAlgorithm.ES256 ? new ECDSAVerifier((ECPublicKey) publicKey) : null;
        } catch (JOSEException e) {
            throw new IllegalArgumentException("ES256 key " + kid + " is not usable", e);
        }
    }

    /**
     * An HS256 key.
     *
     * @param kid    key id, 1 to 64 characters of {@code A-Z a-z 0-9 . _ -}
     * @param secret at least {@value #MIN_HMAC_SECRET_BYTES} bytes (256 bits) of random data; copied
     * @throws IllegalArgumentException when the secret is shorter than 256 bits
     */
    public static SigningKey hs256(String kid, byte[] secret) {
        Objects.requireNonNull(secret, "secret");
        if (secret.length < MIN_HMAC_SECRET_BYTES) {
            throw new IllegalArgumentException("HS256 secret of key " + kid + " has " + secret.length * 8
                    + " bits; at least 256 bits are required");
        }
        return new SigningKey(kid, JwtAlgorithm.HS256, secret.clone(), null, null);
    }

    /** A new HS256 key with a random 256-bit secret. */
    public static SigningKey generateHs256(String kid) {
        byte[] secret = new byte[MIN_HMAC_SECRET_BYTES];
        RANDOM.nextBytes(secret);
        return hs256(kid, secret);
    }

    /** An ES256 key that signs and verifies; {@code keyPair} must be on curve P-256. */
    public static SigningKey es256(String kid, KeyPair keyPair) {
        Objects.requireNonNull(keyPair, "keyPair");
        if (!(keyPair.getPrivate() instanceof ECPrivateKey) || !(keyPair.getPublic() instanceof ECPublicKey pub)
                || !Curve.P_256.equals(Curve.forECParameterSpec(pub.getParams()))) {
            throw new IllegalArgumentException("ES256 key " + kid + " must be an EC key pair on curve P-256");
        }
        return new SigningKey(kid, JwtAlgorithm.ES256, null, keyPair.getPrivate(), keyPair.getPublic());
    }

    /** An ES256 key that only verifies tokens signed elsewhere with the matching private key. */
    public static SigningKey es256VerifyOnly(String kid, ECPublicKey publicKey) {
        Objects.requireNonNull(publicKey, "publicKey");
        if (!Curve.P_256.equals(Curve.forECParameterSpec(publicKey.getParams()))) {
            throw new IllegalArgumentException("ES256 key " + kid + " must be on curve P-256");
        }
        return new SigningKey(kid, JwtAlgorithm.ES256, null, null, publicKey);
    }

    /** A new ES256 key pair. */
    public static SigningKey generateEs256(String kid) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return es256(kid, generator.generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM cannot generate P-256 keys", e);
        }
    }

    /** An Ed25519 (EdDSA) key that signs and verifies. */
    public static SigningKey ed25519(String kid, KeyPair keyPair) {
        Objects.requireNonNull(keyPair, "keyPair");
        if (!"EdDSA".equals(keyPair.getPublic().getAlgorithm()) && !"Ed25519".equals(keyPair.getPublic().getAlgorithm())
                || rawEd25519(keyPair.getPublic()) == null) {
            throw new IllegalArgumentException("EdDSA key " + kid + " must be an Ed25519 key pair");
        }
        return new SigningKey(kid, JwtAlgorithm.EDDSA, null, keyPair.getPrivate(), keyPair.getPublic());
    }

    /** An Ed25519 key that only verifies. */
    public static SigningKey ed25519VerifyOnly(String kid, PublicKey publicKey) {
        Objects.requireNonNull(publicKey, "publicKey");
        if (rawEd25519(publicKey) == null) {
            throw new IllegalArgumentException("EdDSA key " + kid + " must be an Ed25519 public key");
        }
        return new SigningKey(kid, JwtAlgorithm.EDDSA, null, null, publicKey);
    }

    /** A new Ed25519 key pair. */
    public static SigningKey generateEd25519(String kid) {
        try {
            return ed25519(kid, KeyPairGenerator.getInstance("Ed25519").generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM cannot generate Ed25519 keys", e);
        }
    }

    /** The key id. */
    public String kid() {
        return kid;
    }

    /** The algorithm. */
    public JwtAlgorithm algorithm() {
        return algorithm;
    }

    /** Whether it can sign (it holds a secret or a private key). */
    public boolean canSign() {
        return secret != null || privateKey != null;
    }

    /** The public half (ES256, EdDSA), if any. */
    public Optional<PublicKey> publicKey() {
        return Optional.ofNullable(publicKey);
    }

    /** The public JWK of an asymmetric key; empty for HS256, whose secret is never exported. */
    public Optional<JWK> publicJwk() {
        return switch (algorithm) {
            case HS256 -> Optional.empty();
            case ES256 -> Optional.of(new ECKey.Builder(Curve.P_256, (ECPublicKey) publicKey).keyID(kid)
                    .keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.ES256).build());
            case EDDSA -> Optional.of(new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(rawEd25519(publicKey)))
                    .keyID(kid).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.EdDSA).build());
        };
    }

    /** The base64url header this key writes. */
    String headerSegment() {
        return headerSegment;
    }

    /** The JWS signature of {@code signingInput}. */
    byte[] sign(byte[] signingInput) {
        if (!canSign()) {
            throw new IllegalStateException("key " + kid + " only verifies; it cannot sign");
        }
        try {
            return switch (algorithm) {
                case HS256 -> macs.get().doFinal(signingInput);
                // nimbus transcodes the JDK's DER signature into the JWS R||S form
                case ES256 -> ecSigner.sign(header, signingInput).decode();
                case EDDSA -> {
                    Signature signature = Signature.getInstance("Ed25519");
                    signature.initSign(privateKey);
                    signature.update(signingInput);
                    yield signature.sign();
                }
            };
        } catch (GeneralSecurityException | JOSEException e) {
            throw new IllegalStateException("signing with key " + kid + " failed", e);
        }
    }

    /** Whether {@code signature} is this key's valid signature of {@code signingInput}; compares in constant time. */
    boolean verify(byte[] signingInput, byte[] signature) {
        try {
            return switch (algorithm) {
                case HS256 -> MessageDigest.isEqual(macs.get().doFinal(signingInput), signature);
                case ES256 -> ecVerifier.verify(header, signingInput, Base64URL.encode(signature));
                case EDDSA -> {
                    if (signature.length != 64) {
                        yield false;
                    }
                    Signature verifier = Signature.getInstance("Ed25519");
                    verifier.initVerify(publicKey);
                    verifier.update(signingInput);
                    yield verifier.verify(signature);
                }
            };
        } catch (GeneralSecurityException | JOSEException e) {
            return false;
        }
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(secret);
            return mac;
        } catch (InvalidKeyException | java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    private static byte[] rawEd25519(PublicKey key) {
        byte[] encoded = key.getEncoded();
        if (encoded == null || encoded.length != ED25519_X509_PREFIX.length + 32
                || !Arrays.equals(encoded, 0, ED25519_X509_PREFIX.length, ED25519_X509_PREFIX, 0, ED25519_X509_PREFIX.length)) {
            return null;
        }
        return Arrays.copyOfRange(encoded, ED25519_X509_PREFIX.length, encoded.length);
    }

    /** The kid and algorithm only; never key material. */
    @Override
    public String toString() {
        return "SigningKey[kid=" + kid + ", algorithm=" + algorithm + ", canSign=" + canSign() + "]";
    }
}
