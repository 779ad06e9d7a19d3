package dev.billingportal.examples;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every public or protected type, constructor, method and field of every module's main code carries Javadoc
 * (an {@code @Override} inherits its documentation). javac's doclint checks that the Javadoc is well formed;
 * this checks that it is there at all.
 */
class PublicApiDocumentationTest {

    @Test
    void everyPublicDeclarationHasJavadoc() throws IOException {
        Path root = Path.of("").toAbsolutePath().getParent();
        List<Path> sources = new ArrayList<>();
        try (Stream<Path> modules = Files.list(root)) {
            for (Path module : modules.filter(p -> p.getFileName().toString().startsWith("portal-")).toList()) {
                Path main = module.resolve("src/main/java");
                if (Files.isDirectory(main)) {
                    try (Stream<Path> files = Files.walk(main)) {
                        files.filter(p -> p.toString().endsWith(".java")).forEach(sources::add);
                    }
                }
            }
        }
        assertThat(sources).as("main sources found under " + root).hasSizeGreaterThan(20);

        List<String> undocumented = new ArrayList<>();
        for (Path source : sources) {
            List<String> lines = Files.readAllLines(source);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).strip();
                if (!(line.startsWith("public ") || line.startsWith("protected "))) {
                    continue;
                }
                int j = i - 1;
                boolean overrides = false;
                while (j >= 0 && lines.get(j).strip().startsWith("@")) {
                    overrides |= lines.get(j).strip().startsWith("@Override");
                    j--;
                }
                if (!overrides && (j < 0 || !lines.get(j).strip().endsWith("*/"))) {
                    undocumented.add(root.relativize(source) + ":" + (i + 1) + ": " + line);
                }
            }
        }
        assertThat(undocumented).as("public declarations without Javadoc").isEmpty();
    }
}
