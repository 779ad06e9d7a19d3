package dev.billingportal.examples;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@code mvn install} and {@code mvn deploy} publish, read from the poms themselves: every module but
 * portal-examples and portal-bench is published with its {@code -sources.jar} and {@code -javadoc.jar}, the BOM
 * manages exactly the published modules and nothing else, and the release metadata is there. (What this layout
 * installs was checked by running {@code mvn -DskipTests install -Dmaven.repo.local=<a fresh directory>}: the parent
 * pom, the BOM, and the jar, sources and javadoc of each published module. A build is too slow for a unit test; this
 * keeps the poms from drifting from the layout that produced it.)
 */
class ReleaseLayoutTest {
    /** Modules that are never installed or deployed. */
    private static final List<String> UNPUBLISHED = List.of("portal-examples", "portal-examples-spring-boot", "portal-bench");
    private static final List<String> PUBLISHING_SWITCHES =
            List.of("maven.install.skip", "maven.deploy.skip", "maven.source.skip", "maven.javadoc.skip");

    private static Path root;
    private static Element parent;
    private static final Map<String, Element> MODULES = new LinkedHashMap<>();

    @BeforeAll
    static void readPoms() throws Exception {
        root = Path.of("").toAbsolutePath().getParent();
        parent = read(root.resolve("pom.xml"));
        for (Element module : children(child(parent, "modules"), "module")) {
            MODULES.put(module.getTextContent().strip(), read(root.resolve(module.getTextContent().strip()).resolve("pom.xml")));
        }
        assertThat(MODULES).containsKeys("portal-core", "portal-jdbc", "portal-testkit", "portal-pdf", "portal-httpserver",
                "portal-bom", "portal-examples", "portal-bench");
    }

    @Test
    void examplesAndBenchAloneOptOutOfPublishing() {
        Element properties = child(parent, "properties");
        assertThat(text(properties, "portal.unpublished")).isEqualTo("false");
        for (String property : PUBLISHING_SWITCHES) {
            assertThat(text(properties, property)).as("parent property " + property).isEqualTo("${portal.unpublished}");
        }
        MODULES.forEach((name, pom) -> {
            Element moduleProperties = child(pom, "properties");
            String unpublished = moduleProperties == null ? null : text(moduleProperties, "portal.unpublished");
            if (UNPUBLISHED.contains(name)) {
                assertThat(unpublished).as(name + " sets portal.unpublished").isEqualTo("true");
            } else {
                assertThat(unpublished).as(name + " is published: it must not set portal.unpublished").isNull();
            }
            for (String property : PUBLISHING_SWITCHES) {
                // A module that set one of these directly would split what the one switch keeps together.
                assertThat(moduleProperties == null ? null : text(moduleProperties, property))
                        .as(name + " sets " + property + " itself").isNull();
            }
        });
    }

    @Test
    void everyPublishedModuleAttachesSourcesAndJavadoc() {
        Map<String, String> goals = new LinkedHashMap<>();
        for (Element plugin : children(child(child(parent, "build"), "plugins"), "plugin")) {
            Element executions = child(plugin, "executions");
            if (executions != null) {
                for (Element execution : children(executions, "execution")) {
                    for (Element goal : children(child(execution, "goals"), "goal")) {
                        goals.put(text(plugin, "artifactId"), goal.getTextContent().strip());
                    }
                }
            }
        }
        // Bound in the parent's <plugins> (not only its pluginManagement), so every module inherits them.
        assertThat(goals).containsEntry("maven-source-plugin", "jar-no-fork").containsEntry("maven-javadoc-plugin", "jar");
        MODULES.forEach((name, pom) -> {
            Element build = child(pom, "build");
            Element plugins = build == null ? null : child(build, "plugins");
            if (plugins != null) {
                for (Element plugin : children(plugins, "plugin")) {
                    assertThat(text(plugin, "artifactId")).as(name + " reconfigures a publishing plugin")
                            .isNotIn("maven-source-plugin", "maven-javadoc-plugin", "maven-install-plugin",
                                    "maven-deploy-plugin");
                }
            }
        });
    }

    @Test
    void theBomManagesExactlyThePublishedModulesAtTheProjectVersion() {
        Element bom = MODULES.get("portal-bom");
        assertThat(child(bom, "parent")).as("portal-bom has no parent, so it imports none of the parent's third-party versions")
                .isNull();
        assertThat(text(bom, "version")).as("portal-bom's version").isEqualTo(text(parent, "version"));
        assertThat(text(bom, "packaging")).isEqualTo("pom");
        List<String> managed = new ArrayList<>();
        for (Element dependency : children(child(child(bom, "dependencyManagement"), "dependencies"), "dependency")) {
            assertThat(text(dependency, "groupId")).isEqualTo("dev.billingportal");
            assertThat(text(dependency, "version")).isEqualTo("${project.version}");
            managed.add(text(dependency, "artifactId"));
        }
        List<String> published = MODULES.entrySet().stream()
                .filter(e -> !UNPUBLISHED.contains(e.getKey()) && !"pom".equals(text(e.getValue(), "packaging")))
                .map(Map.Entry::getKey).toList();
        assertThat(managed).containsExactlyInAnyOrderElementsOf(published);

        List<String> parentManaged = new ArrayList<>();
        for (Element dependency : children(child(child(parent, "dependencyManagement"), "dependencies"), "dependency")) {
            if ("dev.billingportal".equals(text(dependency, "groupId"))) {
                parentManaged.add(text(dependency, "artifactId"));
            }
        }
        assertThat(parentManaged).as("our modules in the parent's dependencyManagement").containsAll(published);
    }

    @Test
    void releaseMetadataIsThere() throws Exception {
        for (Element pom : List.of(parent, MODULES.get("portal-bom"))) {
            assertThat(text(child(child(pom, "licenses"), "license"), "name")).isEqualTo("Apache License, Version 2.0");
            assertThat(text(pom, "url")).startsWith("https://");
            assertThat(text(pom, "description")).isNotBlank();
            assertThat(child(child(pom, "developers"), "developer")).isNotNull();
            assertThat(text(child(pom, "scm"), "url")).isEqualTo(text(pom, "url"));
        }
        String license = Files.readString(root.resolve("LICENSE"));
        assertThat(license).contains("Apache License", "Version 2.0, January 2004",
                "TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION", "END OF TERMS AND CONDITIONS");
        assertThat(Files.readString(root.resolve("CHANGELOG.md"))).contains("https://keepachangelog.com", "## [Unreleased]");
    }

    @Test
    void everyJarCarriesTheLicence() throws Exception {
        String license = Files.readString(root.resolve("LICENSE"));
        for (Class<?> type : List.of(dev.billingportal.core.PortalService.class, dev.billingportal.jdbc.JdbcPortalStore.class,
                dev.billingportal.httpserver.PortalHttpHandler.class, dev.billingportal.pdf.PdfInvoiceDocumentStore.class)) {
            Path location = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
            String inside;
            if (Files.isDirectory(location)) { // the reactor's target/classes when only tests ran
                inside = Files.readString(location.resolve("META-INF/LICENSE"));
            } else {
                try (java.util.jar.JarFile jar = new java.util.jar.JarFile(location.toFile())) {
                    java.util.zip.ZipEntry entry = jar.getEntry("META-INF/LICENSE");
                    assertThat(entry).as(location.getFileName() + " has META-INF/LICENSE").isNotNull();
                    inside = new String(jar.getInputStream(entry).readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                }
            }
            assertThat(inside).as(type.getSimpleName() + "'s artifact carries the licence").isEqualTo(license);
        }
    }

    private static Element read(Path pom) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document document = factory.newDocumentBuilder().parse(pom.toFile());
        return document.getDocumentElement();
    }

    /** The direct child element named {@code name}, or null. */
    private static Element child(Element element, String name) {
        if (element == null) {
            return null;
        }
        List<Element> found = children(element, name);
        return found.isEmpty() ? null : found.get(0);
    }

    private static List<Element> children(Element element, String name) {
        List<Element> found = new ArrayList<>();
        NodeList nodes = element.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            Node node = nodes.item(i);
            if (node instanceof Element e && e.getTagName().equals(name)) {
                found.add(e);
            }
        }
        return found;
    }

    private static String text(Element element, String name) {
        Element child = child(element, name);
        return child == null ? null : child.getTextContent().strip();
    }
}
