package dev.billingportal.core.api;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds a file of {@code ../shared/reference/} (beside the checkout on developer machines and in CI), as
 * portal-examples' helper of the same name does. Outside those, a test that needs it is skipped with a clear message,
 * except under {@code CI=true}, where a missing reference is a failure.
 */
final class SharedReference {
    private SharedReference() {
    }

    static Path require(String fileName) {
        Path dir = Path.of("").toAbsolutePath();
        for (int up = 0; dir != null && up < 6; up++, dir = dir.getParent()) {
            Path candidate = dir.resolve("shared").resolve("reference").resolve(fileName);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        String message = "../shared/reference/" + fileName + " not found above " + Path.of("").toAbsolutePath()
                + "; it is beside the checkout on developer machines and in CI";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail(message + " (CI=true: a missing reference fails the build)");
        }
        Assumptions.abort(message + ": skipping");
        throw new AssertionError("unreachable");
    }
}
