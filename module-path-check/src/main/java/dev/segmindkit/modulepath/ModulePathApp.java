package dev.segmindkit.modulepath;

import dev.segmindkit.core.InferenceResult;
import dev.segmindkit.core.SegmindConfig;
import dev.segmindkit.model.StyleTransferRequest;
import dev.segmindkit.reactive.ReactiveSegmindClient;
import dev.segmindkit.sync.SegmindClient;
import dev.segmindkit.testkit.FakeSegmindServer;
import dev.segmindkit.testkit.Tenant;
import java.time.Duration;
import java.util.List;

/**
 * What a modular application does with the SDK: typed submits through both clients against the
 * testkit's fake server (which reads the spec through segmindkit-openapi, as validation does),
 * plus checks that the engine stays closed to it. Prints one line per step and exits 0; anything
 * else is a failure the forking test reports with this output.
 */
public final class ModulePathApp {
    private ModulePathApp() {
    }

    /**
     * Runs the checks.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        for (Class<?> type : List.of(SegmindConfig.class, SegmindClient.class, ReactiveSegmindClient.class, FakeSegmindServer.class, ModulePathApp.class)) {
            Module module = type.getModule();
            if (!module.isNamed()) {
                throw new IllegalStateException(type.getName() + " is not in a named module: the app is not on the module path");
            }
            System.out.println("module " + module.getName() + (module.getDescriptor().isAutomatic() ? " (automatic)" : ""));
        }
        Module core = SegmindConfig.class.getModule();
        if (core.isExported("dev.segmindkit.core.internal", ModulePathApp.class.getModule())) {
            throw new IllegalStateException("dev.segmindkit.core.internal is exported to applications");
        }
        if (!core.isExported("dev.segmindkit.core.internal", SegmindClient.class.getModule())) {
            throw new IllegalStateException("dev.segmindkit.core.internal is not exported to the blocking client");
        }
        System.out.println("internal packages closed");

        try (FakeSegmindServer server = FakeSegmindServer.builder().timeline(Duration.ZERO, Duration.ZERO).start()) {
            Tenant tenant = server.newTenant();
            StyleTransferRequest request = new StyleTransferRequest().styleImage("https://example.com/style.png").prompt("a lighthouse");
            try (SegmindClient client = SegmindClient.builder().apiKey(tenant.apiKey()).baseUrl(server.baseUrl().toString()).build()) {
                InferenceResult result = client.styleTransfer(request);
                System.out.println("blocking " + result.status() + " " + result.outputs().size());
            }
            try (ReactiveSegmindClient client = ReactiveSegmindClient.builder().apiKey(tenant.apiKey()).baseUrl(server.baseUrl().toString()).build()) {
                InferenceResult result = client.styleTransfer(request).block(Duration.ofSeconds(30));
                System.out.println("reactive " + result.status() + " " + result.outputs().size());
            }
        }
        System.out.println("module path OK");
    }
}
