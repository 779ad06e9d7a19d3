package dev.billingportal.examples;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Every {@code internal} package of every module says, in its package-info, that it is not API. */
class InternalPackagesTest {

    @Test
    void everyInternalPackageSaysItIsNotApi() throws IOException {
        Path root = Path.of("").toAbsolutePath().getParent();
        List<Path> internal = new ArrayList<>();
        try (Stream<Path> modules = Files.list(root)) {
            for (Path module : modules.filter(p -> p.getFileName().toString().startsWith("portal-")).toList()) {
                Path main = module.resolve("src/main/java");
                if (Files.isDirectory(main)) {
                    try (Stream<Path> dirs = Files.walk(main)) {
                        dirs.filter(Files::isDirectory).filter(d -> d.getFileName().toString().equals("internal"))
                                .forEach(internal::add);
                    }
                }
            }
        }
        assertThat(internal).as("internal packages found").hasSizeGreaterThanOrEqualTo(4);
        for (Path dir : internal) {
            Path info = dir.resolve("package-info.java");
            assertThat(info).as("package-info of %s", root.relativize(dir)).exists();
            assertThat(Files.readString(info)).as("package-info of %s", root.relativize(dir)).contains("Not API");
        }
    }
}
