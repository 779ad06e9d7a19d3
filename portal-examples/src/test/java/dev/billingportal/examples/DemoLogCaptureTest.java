package dev.billingportal.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Captures all log output of a full demo run ({@link DemoLogRun}, in a JVM of its own so that its logging can be set
 * to the finest level from the start: slf4j-simple at TRACE for everything, to a file, plus everything the JVM writes
 * to stdout and stderr) and asserts that no token, signing secret, API key or database password appears in it:
 * neither whole, nor URL-encoded, nor base64-encoded, nor as any 16-character piece of a token's signature, of the
 * secret's encodings or of an API key.
 *
 * <p>java.util.logging keeps the JVM's default configuration (INFO): at FINE, the JDK's own {@code HttpServer} logs
 * every request line, and so the {@code ?token=} of a portal link, as any access log in front of a portal does. That
 * is the price of links that carry their token; it is not the library's logging, which this test covers.
 */
class DemoLogCaptureTest {

    @Test
    @Timeout(180)
    void noSecretInAnyLogOfAFullDemoRun() throws Exception {
        Path out = Path.of("target", "demo-log-capture").toAbsolutePath();
        Files.createDirectories(out);
        for (String name : List.of("slf4j.log", "stdout.log", "stderr.log", "secrets.txt", "statuses.txt")) {
            Files.deleteIfExists(out.resolve(name));
        }
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath,
                "-Dorg.slf4j.simpleLogger.logFile=" + out.resolve("slf4j.log"),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=trace",
                "-Dorg.slf4j.simpleLogger.log.dev.billingportal=trace",
                "-Dorg.slf4j.simpleLogger.showDateTime=true",
                "-Dorg.slf4j.simpleLogger.showThreadName=true",
                DemoLogRun.class.getName(), out.toString());
        Process process = new ProcessBuilder(command)
                .redirectOutput(out.resolve("stdout.log").toFile())
                .redirectError(out.resolve("stderr.log").toFile())
                .start();
        assertThat(process.waitFor(150, TimeUnit.SECONDS)).as("the demo run finished").isTrue();
        String stderr = Files.readString(out.resolve("stderr.log"));
        assertThat(process.exitValue()).as("exit code of the demo run; its stderr: %s", stderr).isZero();

        String slf4j = Files.readString(out.resolve("slf4j.log"));
        String log = slf4j + "\n" + Files.readString(out.resolve("stdout.log")) + "\n" + stderr;
        // The capture works: lines of every level and source the run must produce are there.
        assertThat(slf4j).contains("DEBUG dev.billingportal.core.session.SessionService - portal session")
                .contains("INFO dev.billingportal.examples.DemoServer - demo listening on port")
                .contains("ERROR dev.billingportal.core.api.PortalApi - portal API failed on GET /portal/api/overview")
                .contains("ERROR dev.billingportal.core.api.LagoCompatibleApi - Lago-compatible API failed")
                .contains("simulated adapter failure")
                .contains("DEBUG com.zaxxer.hikari")
                .contains("revoked for one customer")
                .contains("DEBUG dev.billingportal.core.session.SessionService - portal link")
                .contains("ERROR dev.billingportal.core.internal.Auditor - audit trail failed to record SESSION_CREATED")
                .contains("ERROR dev.billingportal.core.api.FlexpriceCompatibleApi - Flexprice-compatible API failed")
                .contains("ERROR dev.billingportal.core.api.PortalRedirectEndpoint - portal redirect endpoint failed")
                .contains("WARN dev.billingportal.core.events.WebhookRelay - webhook event evt_log_run_1")
                .contains("DEBUG dev.billingportal.core.events.WebhookRelay - webhook event evt_log_run_1");
        // The relay names events by id and type only: its event's payload (here, its session id) is not logged.
        assertThat(log).doesNotContain("ps_log_run_1");
        List<String> statuses = Files.readAllLines(out.resolve("statuses.txt"));
        assertThat(statuses).as("requests of the run").hasSizeGreaterThan(40)
                .anyMatch(s -> s.endsWith(" 200")).anyMatch(s -> s.endsWith(" 401")).anyMatch(s -> s.endsWith(" 404"))
                .anyMatch(s -> s.endsWith(" 422")).anyMatch(s -> s.endsWith(" 400")).anyMatch(s -> s.endsWith(" 413"))
                .anyMatch(s -> s.endsWith(" 302")).anyMatch(s -> s.endsWith(" 405"))
                .contains("in process /portal/api/overview 500", "in process lago 500", "in process unaudited lago 503",
                        "in process unaudited createSession UNAVAILABLE", "in process flexprice 500", "in process redirect 500",
                        "in process webhook relay 1 failed, then 1 delivered", "POST /portal/api/session 201",
                        "GET /v1/customers/portal/demo-customer 200", "GET /billing/sign-in?customer=demo-customer 303")
                .anyMatch(s -> s.startsWith("POST /portal/api/session 401"));

        Map<String, List<String>> secrets = new LinkedHashMap<>();
        for (String line : Files.readAllLines(out.resolve("secrets.txt"))) {
            String[] parts = line.split("\t", 2);
            secrets.computeIfAbsent(parts[0], k -> new ArrayList<>()).add(parts[1]);
        }
        assertThat(secrets.get("token")).as("tokens minted").hasSizeGreaterThanOrEqualTo(5);
        assertThat(secrets).containsKeys("signing secret", "api key", "presented api key", "database password", "cursor",
                "sign-in cookie", "webhook secret");

        Map<String, String> leaks = new LinkedHashMap<>();
        int needles = 0;
        for (Map.Entry<String, List<String>> kind : secrets.entrySet()) {
            for (String secret : kind.getValue()) {
                for (String needle : needles(kind.getKey(), secret)) {
                    needles++;
                    if (log.contains(needle)) {
                        leaks.put(kind.getKey() + " " + abbreviate(secret), needle);
                    }
                }
            }
        }
        assertThat(needles).as("pieces looked for").isGreaterThan(500);
        assertThat(leaks).as("secrets found in the logs of %s", out).isEmpty();
    }

    /** What to look for: the secret in every encoding a careless log line might use, and its 16-character pieces. */
    private static Set<String> needles(String kind, String secret) {
        Set<String> needles = new LinkedHashSet<>();
        needles.add(secret);
        needles.add(URLEncoder.encode(secret, StandardCharsets.UTF_8));
        needles.add(Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8)));
        needles.add(Base64.getUrlEncoder().withoutPadding().encodeToString(secret.getBytes(StandardCharsets.UTF_8)));
        switch (kind) {
            case "token" -> {
                String[] parts = secret.split("\\.");
                if (parts.length == 3) {
                    needles.addAll(pieces(parts[2]));
                    needles.add(parts[1]); // the claims, whole
                }
            }
            case "webhook secret" -> {
                byte[] bytes = Base64.getDecoder().decode(secret.substring("whsec_".length()));
                needles.addAll(pieces(secret));
                needles.addAll(pieces(HexFormat.of().formatHex(bytes)));
                needles.addAll(pieces(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes)));
            }
            case "signing secret" -> {
                byte[] bytes = Base64.getDecoder().decode(secret);
                needles.addAll(pieces(secret));
                needles.addAll(pieces(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes)));
                needles.addAll(pieces(HexFormat.of().formatHex(bytes)));
                needles.addAll(pieces(HexFormat.of().formatHex(bytes).toUpperCase(Locale.ROOT)));
                needles.add(new String(bytes, StandardCharsets.ISO_8859_1));
            }
            case "api key", "presented api key", "database password", "cursor", "sign-in cookie" ->
                    needles.addAll(pieces(secret));
            default -> throw new IllegalArgumentException("unknown kind of secret: " + kind);
        }
        needles.removeIf(needle -> needle.length() < 16);
        return needles;
    }

    private static List<String> pieces(String text) {
        List<String> pieces = new ArrayList<>();
        for (int i = 0; i + 16 <= text.length(); i++) {
            pieces.add(text.substring(i, i + 16));
        }
        return pieces;
    }

    private static String abbreviate(String secret) {
        return secret.length() > 12 ? secret.substring(0, 6) + "…" + secret.substring(secret.length() - 4) : secret;
    }
}
