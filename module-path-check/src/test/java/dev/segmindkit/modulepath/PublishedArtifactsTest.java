package dev.segmindkit.modulepath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What every published module's jars carry, checked on the jars this build made: the licence,
 * a manifest that names the module and its version, a module descriptor, and sources and javadoc
 * jars beside it (the javadoc without the internal packages).
 */
class PublishedArtifactsTest {
    private static final List<String> PUBLISHED = List.of("segmindkit-openapi", "segmindkit-core", "segmindkit-resilience", "segmindkit-sync-client",
            "segmindkit-reactive-client", "segmindkit-testkit", "segmindkit-cli");
    private static final String VERSION = System.getProperty("segmindkit.version");

    private static List<Path> ourJars() throws IOException {
        String deps = Files.readString(Path.of(System.getProperty("modulepath.file")), StandardCharsets.UTF_8).trim();
        List<Path> ours = Arrays.stream(deps.split(Pattern.quote(File.pathSeparator))).map(Path::of)
                .filter(p -> p.getFileName().toString().startsWith("segmindkit-")).collect(Collectors.toList());
        // Built only to the test phase, the reactor hands out class directories, not jars.
        assumeTrue(ours.stream().allMatch(p -> p.toString().endsWith(".jar")), "jars are checked from the package phase on");
        return ours;
    }

    @Test
    void everyPublishedModuleIsHere() throws IOException {
        assertThat(ourJars()).extracting(p -> p.getFileName().toString().replace("-" + VERSION + ".jar", ""))
                .containsExactlyInAnyOrderElementsOf(PUBLISHED);
    }

    @Test
    void everyJarCarriesTheLicenceANamedManifestAndAModuleDescriptor() throws IOException {
        for (Path jar : ourJars()) {
            try (JarFile file = new JarFile(jar.toFile())) {
                assertThat(file.getEntry("META-INF/LICENSE")).as("%s has META-INF/LICENSE", jar.getFileName()).isNotNull();
                assertThat(new String(file.getInputStream(file.getEntry("META-INF/LICENSE")).readAllBytes(), StandardCharsets.UTF_8))
                        .contains("Apache License", "Version 2.0");
                assertThat(file.getEntry("META-INF/NOTICE")).as("%s has META-INF/NOTICE", jar.getFileName()).isNotNull();
                assertThat(file.getEntry("module-info.class")).as("%s has a module descriptor", jar.getFileName()).isNotNull();
                Attributes main = file.getManifest().getMainAttributes();
                assertThat(main.getValue("Implementation-Version")).as("%s Implementation-Version", jar.getFileName()).isEqualTo(VERSION);
                assertThat(main.getValue("Implementation-Title")).as("%s Implementation-Title", jar.getFileName()).startsWith("segmindkit-");
                assertThat(main.getValue("Implementation-Vendor")).as("%s Implementation-Vendor", jar.getFileName()).isEqualTo("segmindkit");
            }
        }
    }

    @Test
    void everyJarHasSourcesAndJavadocBesideItAndTheDocsLeaveTheInternalsOut() throws IOException {
        for (Path jar : ourJars()) {
            String base = jar.getFileName().toString().replace(".jar", "");
            Path sources = jar.resolveSibling(base + "-sources.jar");
            Path javadoc = jar.resolveSibling(base + "-javadoc.jar");
            assertThat(sources).as("sources jar of %s", base).isRegularFile();
            assertThat(javadoc).as("javadoc jar of %s", base).isRegularFile();
            try (JarFile file = new JarFile(sources.toFile())) {
                assertThat(file.getEntry("META-INF/LICENSE")).as("%s carries the licence", sources.getFileName()).isNotNull();
                assertThat(file.stream().anyMatch(e -> e.getName().endsWith(".java"))).as("%s holds sources", sources.getFileName()).isTrue();
            }
            try (JarFile file = new JarFile(javadoc.toFile())) {
                assertThat(file.getEntry("index.html")).as("%s holds docs", javadoc.getFileName()).isNotNull();
                assertThat(file.stream().map(e -> e.getName()).filter(n -> n.contains("/internal/")))
                        .as("%s leaves out the internal packages", javadoc.getFileName()).isEmpty();
            }
        }
    }

    @Test
    void theParentlessPomsPinTheRootPomsPluginVersions() throws IOException {
        Path root = Path.of(System.getProperty("segmindkit.root"));
        assertThat(property(root.resolve("consumer-check/pom.xml"), "enforcer-plugin.version"))
                .isEqualTo(property(root.resolve("pom.xml"), "enforcer-plugin.version"));
        for (String plugin : List.of("install-plugin.version", "deploy-plugin.version", "gpg-plugin.version")) {
            assertThat(property(root.resolve("bom/pom.xml"), plugin)).as(plugin).isEqualTo(property(root.resolve("pom.xml"), plugin));
        }
    }

    private static String property(Path pom, String name) throws IOException {
        Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(Files.readString(pom, StandardCharsets.UTF_8));
        assertThat(m.find()).as("%s sets %s", pom, name).isTrue();
        return m.group(1);
    }
}
