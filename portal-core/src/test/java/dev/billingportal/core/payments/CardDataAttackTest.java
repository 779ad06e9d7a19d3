package dev.billingportal.core.payments;

import dev.billingportal.core.CustomerScope;
import dev.billingportal.core.api.PortalApi;
import dev.billingportal.core.api.PortalResponse;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No card data through us: card numbers, security codes and track data sent to every route (paths, queries,
 * headers, bodies) are never stored (provider, audit trail, outbox, idempotency records, customer, subscriptions),
 * never echoed in an answer, and never logged, even at TRACE.
 */
class CardDataAttackTest {

    @Test
    @DisplayName("card data sent to every route is neither stored nor echoed, and no answer is a 5xx")
    void neitherStoredNorEchoed() {
        CardDataAttack attack = new CardDataAttack();
        Map<String, PortalResponse> answers = attack.run();
        assertThat(answers.keySet().stream().map(k -> k.substring(0, k.indexOf(" #") < 0 ? k.indexOf(" clean")
                : k.indexOf(" #"))).distinct()).as("every API route attacked")
                .containsExactlyInAnyOrderElementsOf(PortalApi.API_ROUTES);
        answers.forEach((what, response) -> {
            assertThat(response.status()).as("rule: %s never fails with a 5xx", what).isLessThan(500);
            assertClean(response.bodyAsString() + " " + response.headers(), "the answer to " + what);
        });
        assertThat(answers.values()).as("card data in a body is refused with a clear code")
                .anyMatch(r -> r.status() == 400 && r.bodyAsString().contains("\"card_data_refused\""));
        assertThat(answers.get("POST /payment_methods/setup clean body").status())
                .as("a card-like Idempotency-Key and User-Agent do not stop a clean write").isEqualTo(200);

        CustomerScope scope = CustomerScope.of(attack.alice);
        List<String> stored = new ArrayList<>();
        stored.add(attack.provider.paymentMethods(scope).toString());
        stored.add(attack.provider.charges().toString());
        stored.add(attack.t.audit.find(attack.alice.ref(), Instant.EPOCH, 1000).toString());
        stored.add(attack.outbox.pending().toString());
        stored.addAll(attack.idempotencyRecords);
        stored.add(attack.t.customers.findByExternalId(attack.alice.ref()).toString());
        stored.add(attack.subscriptions.subscriptions(scope).toString());
        assertThat(attack.idempotencyRecords).as("the writes with a card-like key were remembered (hashed)")
                .anyMatch(r -> r.contains("sha256:"));
        assertThat(attack.t.audit.find(attack.alice.ref(), Instant.EPOCH, 1000)).as("audited writes")
                .isNotEmpty().allSatisfy(e -> assertThat(e.client().userAgent()).isIn(null,
                        dev.billingportal.core.ClientInfo.REDACTED));
        for (String text : stored) {
            assertClean(text, "what the portal stored");
            assertThat(text).as("rule: no security code field is stored").doesNotContain("cvc")
                    .doesNotContain("security_code").doesNotContain("9137");
        }
    }

    @Test
    @Timeout(120)
    @DisplayName("card data sent to every route is never logged, even at TRACE")
    void neverLogged() throws Exception {
        Path out = Path.of("target", "card-data-log").toAbsolutePath();
        Files.createDirectories(out);
        Path log = out.resolve("slf4j.log");
        Files.deleteIfExists(log);
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, "-Dorg.slf4j.simpleLogger.logFile=" + log,
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=trace"));
        // the test resources turn some loggers off; here every one speaks
        for (String name : List.of("dev.billingportal", "dev.billingportal.core.api.PortalApi",
                "dev.billingportal.core.events.WebhookRelay", "dev.billingportal.core.api.FlexpriceCompatibleApi",
                "dev.billingportal.core.api.PortalRedirectEndpoint")) {
            command.add("-Dorg.slf4j.simpleLogger.log." + name + "=trace");
        }
        command.add(CardDataLogRun.class.getName());
        Process process = new ProcessBuilder(command).redirectOutput(out.resolve("stdout.log").toFile())
                .redirectError(out.resolve("stderr.log").toFile()).start();
        assertThat(process.waitFor(100, TimeUnit.SECONDS)).as("the attack run finished").isTrue();
        String stdout = Files.readString(out.resolve("stdout.log"));
        String stderr = Files.readString(out.resolve("stderr.log"));
        assertThat(process.exitValue()).as("exit code; stderr: %s", stderr).isZero();
        assertThat(stdout).as("the run sent its requests").contains("answers: ").contains(" 0 5xx");
        String logged = (Files.exists(log) ? Files.readString(log) : "") + stdout + stderr;
        assertClean(logged, "the logs");
    }

    /** None of the card numbers (in any spelling, or with separators dropped) nor track data is in {@code text}. */
    private static void assertClean(String text, String where) {
        String compact = text.replace(" ", "").replace("-", "");
        for (String pan : CardDataAttack.PANS) {
            assertThat(compact).as("rule: %s holds no card number %s", where, pan).doesNotContain(pan);
        }
        for (String track : CardDataAttack.TRACKS) {
            assertThat(text).as("rule: %s holds no track data", where).doesNotContain(track.substring(0, 18));
        }
    }
}
