package dev.billingportal.examples;

import org.junit.jupiter.api.Test;

import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's JDK {@code HttpServer} snippet compiles as written against the published modules: only the imports
 * and a {@code portal} in scope are added around it, as a host's own method would have them.
 */
class ReadmeHttpServerSnippetTest {

    @Test
    void theHttpServerSnippetCompiles() throws Exception {
        String readme = Files.readString(Path.of("").toAbsolutePath().getParent().resolve("README.md"));
        Matcher blocks = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL).matcher(readme);
        String snippet = null;
        while (blocks.find()) {
            if (blocks.group(1).contains("PortalHttpServer.create(")) {
                snippet = blocks.group(1);
            }
        }
        assertThat(snippet).as("the README's snippet using PortalHttpServer.create").isNotNull();
        String source = """
                import com.sun.net.httpserver.HttpServer;
                import dev.billingportal.core.PortalService;
                import dev.billingportal.core.api.LagoCompatibleApi;
                import dev.billingportal.core.api.PortalApi;
                import dev.billingportal.httpserver.PortalHttpHandler;
                import dev.billingportal.httpserver.PortalHttpServer;
                import java.net.InetSocketAddress;
                import java.util.concurrent.Executors;

                class Snippet {
                    void serve(PortalService portal) throws Exception {
                %s
                    }
                }
                """.formatted(snippet);
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        StringWriter diagnostics = new StringWriter();
        Path out = Files.createDirectories(Path.of("target", "readme-snippets"));
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///Snippet.java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return source;
            }
        };
        Boolean compiled = compiler.getTask(diagnostics, null, null,
                List.of("-classpath", classpath, "-d", out.toString(), "-Xlint:none"), null, List.of(file)).call();
        assertThat(compiled).as("javac on the snippet:%n%s%n%s", diagnostics, source).isTrue();
    }
}
