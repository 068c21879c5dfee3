package dev.segmindkit.readme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.segmindkit.testkit.FakeSegmindServer;
import dev.segmindkit.testkit.Tenant;
import java.io.IOException;
import java.io.StringWriter;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Every {@code ```java} block of README.md and testkit/README.md, compiled and run as written, so a
 * pasted example is never red (STYLE.md: README examples are compiled and run by the build).
 *
 * <p>The rules, like Rust's doctests: a block is compiled with {@link #PRELUDE} (the imports the
 * READMEs say their examples assume) before it. A block that declares no type is a method body,
 * run once. A block that declares a JUnit test class is run by the JUnit Platform, and must pass
 * with at least one test. A block that declares Spring beans is driven as Spring would: its
 * {@code @Bean} methods make the beans, its controllers' handlers are called. Everything runs
 * against a fresh fake server on loopback, found through {@code segmind.apiKey} and {@code
 * segmind.baseUrl} (what {@code fromEnv()} reads after the environment), in a working directory
 * that holds a {@code style.png}.
 */
class ReadmeExamplesTest {
    /** The imports every README example assumes; README.md says so above its first example. */
    static final String PRELUDE = String.join("\n",
            "import dev.segmindkit.core.*;",
            "import dev.segmindkit.model.*;",
            "import dev.segmindkit.sync.SegmindClient;",
            "import dev.segmindkit.reactive.ReactiveSegmindClient;",
            "import dev.segmindkit.testkit.*;",
            "import dev.segmindkit.testkit.junit.SegmindFakeServer;",
            "import java.nio.file.*;",
            "import java.time.Duration;",
            "import java.util.*;",
            "import org.junit.jupiter.api.Test;",
            "import static org.junit.jupiter.api.Assertions.*;",
            "import reactor.core.publisher.Flux;",
            "import reactor.core.publisher.Mono;",
            "import org.springframework.context.annotation.Bean;",
            "import org.springframework.context.annotation.Configuration;",
            "import org.springframework.http.MediaType;",
            "import org.springframework.web.bind.annotation.*;",
            "");

    private static final Duration BOUND = Duration.ofSeconds(60);
    private static final Pattern BLOCK = Pattern.compile("(?ms)^```java\\s*\\n(.*?)^```");
    private static final Pattern TYPE = Pattern.compile("(?m)^(?:@\\w+(?:\\([^)]*\\))?\\s+)*(?:public\\s+)?(?:final\\s+)?(?:class|record|interface)\\s+(\\w+)");

    static Path root() {
        return Paths.get(System.getProperty("segmindkit.root", "..")).toAbsolutePath().normalize();
    }

    @TestFactory
    Stream<DynamicTest> everyJavaBlockCompilesAndRuns() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (String readme : List.of("README.md", "testkit/README.md")) {
            String text = Files.readString(root().resolve(readme), StandardCharsets.UTF_8);
            Matcher m = BLOCK.matcher(text);
            int n = 0;
            while (m.find()) {
                int line = (int) text.substring(0, m.start()).chars().filter(c -> c == '\n').count() + 1;
                String code = m.group(1);
                String name = readme + " block " + (++n) + " (line " + line + ")";
                tests.add(DynamicTest.dynamicTest(name, () -> assertTimeoutPreemptively(BOUND, () -> run(name, code))));
            }
        }
        assertThat(tests).as("Java blocks found in the READMEs").hasSizeGreaterThanOrEqualTo(4);
        return tests.stream();
    }

    private static void run(String name, String code) throws Exception {
        Path work = Paths.get("").toAbsolutePath();
        Files.createDirectories(work);
        Files.copy(root().resolve("cli/samples/style.png"), work.resolve("style.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        try (FakeSegmindServer server = FakeSegmindServer.start()) {
            Tenant tenant = server.newTenant();
            System.setProperty("segmind.apiKey", tenant.apiKey());
            System.setProperty("segmind.baseUrl", server.baseUrl().toString());
            try {
                List<String> types = new ArrayList<>();
                Matcher t = TYPE.matcher(code);
                while (t.find()) {
                    types.add(t.group(1));
                }
                String unit;
                String main;
                if (types.isEmpty()) {
                    main = "ReadmeExample";
                    unit = PRELUDE + "public class ReadmeExample {\n    public static void run() throws Exception {\n" + code + "\n    }\n}\n";
                } else {
                    main = types.get(0);
                    unit = PRELUDE + code;
                }
                try (URLClassLoader loader = compile(name, unit, types.isEmpty() ? List.of(main) : types)) {
                    if (types.isEmpty()) {
                        loader.loadClass(main).getMethod("run").invoke(null);
                    } else if (code.contains("@Test")) {
                        runJUnit(name, loader.loadClass(main));
                    } else if (code.contains("@RestController")) {
                        driveSpring(loader, types, tenant);
                    } else {
                        throw new AssertionError(name + " declares " + types + " but neither tests nor beans: the harness cannot run it");
                    }
                }
            } finally {
                System.clearProperty("segmind.apiKey");
                System.clearProperty("segmind.baseUrl");
            }
        }
    }

    private static URLClassLoader compile(String name, String unit, List<String> types) throws IOException {
        Path dir = Files.createTempDirectory("readme-example");
        Path source = dir.resolve(types.get(0) + ".java");
        // Several top-level types in one file: only non-public ones are legal there, and that is
        // how the READMEs write them.
        Files.writeString(source, unit, StandardCharsets.UTF_8);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            StringWriter out = new StringWriter();
            boolean ok = javac.getTask(out, files, diagnostics, List.of("-classpath", classpath, "-d", dir.toString(), "-proc:none", "-parameters"),
                    null, files.getJavaFileObjects(source)).call();
            if (!ok) {
                StringBuilder why = new StringBuilder(name + " does not compile as written:\n");
                diagnostics.getDiagnostics().forEach(d -> why.append("  line ").append(d.getLineNumber() - PRELUDE.lines().count())
                        .append(": ").append(d.getMessage(Locale.ROOT)).append('\n'));
                throw new AssertionError(why.toString() + out);
            }
        }
        return new URLClassLoader(new URL[] {dir.toUri().toURL()}, ReadmeExamplesTest.class.getClassLoader());
    }

    private static void runJUnit(String name, Class<?> testClass) {
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(org.junit.platform.engine.discovery.DiscoverySelectors.selectClass(testClass)).build();
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        launcher.execute(request, listener);
        TestExecutionSummary summary = listener.getSummary();
        StringWriter failures = new StringWriter();
        summary.printFailuresTo(new java.io.PrintWriter(failures), 20);
        assertThat(summary.getTestsFailedCount()).as(name + " failed as pasted:\n" + failures).isZero();
        assertThat(summary.getTestsSucceededCount()).as(name + ": tests that ran and passed").isPositive();
    }

    /**
     * The WebFlux example, as Spring would run it: the configuration's {@code @Bean} makes the
     * client (from the environment, here the fake), the controller is constructed with it, and its
     * handlers answer a style transfer's output URL and the status events of that job.
     */
    private static void driveSpring(ClassLoader loader, List<String> types, Tenant tenant) throws Exception {
        Object client = null;
        Class<?> controller = null;
        for (String type : types) {
            Class<?> c = loader.loadClass(type);
            if (c.isAnnotationPresent(org.springframework.context.annotation.Configuration.class)) {
                Constructor<?> k = c.getDeclaredConstructor();
                k.setAccessible(true);
                Object config = k.newInstance();
                for (Method m : c.getDeclaredMethods()) {
                    if (m.isAnnotationPresent(org.springframework.context.annotation.Bean.class)) {
                        m.setAccessible(true);
                        client = m.invoke(config);
                    }
                }
            }
            if (c.isAnnotationPresent(org.springframework.web.bind.annotation.RestController.class)) {
                controller = c;
            }
        }
        assertThat(client).as("the configuration's @Bean").isNotNull();
        assertThat(controller).as("a @RestController").isNotNull();
        try (AutoCloseable closing = (AutoCloseable) client) {
            Constructor<?> k = controller.getDeclaredConstructors()[0];
            k.setAccessible(true);
            Object handlers = k.newInstance(client);
            int called = 0;
            for (Method m : controller.getDeclaredMethods()) {
                m.setAccessible(true);
                if (m.isAnnotationPresent(org.springframework.web.bind.annotation.PostMapping.class)) {
                    Object url = ((Mono<?>) m.invoke(handlers, "https://example.com/style.png", "a lighthouse at dusk")).block(BOUND);
                    assertThat(url).asString().startsWith("http://127.0.0.1:");
                    called++;
                }
            }
            for (Method m : controller.getDeclaredMethods()) {
                m.setAccessible(true);
                if (m.isAnnotationPresent(org.springframework.web.bind.annotation.GetMapping.class)) {
                    String id = tenant.journal().submittedRequestIds().get(0);
                    List<?> events = ((Flux<?>) m.invoke(handlers, id)).collectList().block(BOUND);
                    assertThat(events).asString().contains("COMPLETED");
                    called++;
                }
            }
            assertThat(called).as("handlers driven").isEqualTo(2);
        }
    }
}
