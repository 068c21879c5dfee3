package dev.segmindkit.testkit.junit.internal;

import dev.segmindkit.testkit.FakeSegmindServer;
import dev.segmindkit.testkit.ManualClock;
import dev.segmindkit.testkit.Tenant;
import dev.segmindkit.testkit.junit.SegmindFakeServer;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The extension behind {@link SegmindFakeServer}. Internal: use the annotation.
 *
 * <p>Everything it makes lives in JUnit's {@link ExtensionContext.Store}, which closes it: the
 * server in the class's store (nested classes find it through their parent), each tenant in its
 * test's store. The store's lookups are thread-safe, so parallel tests each get their own tenant
 * of the one server.
 */
public final class FakeServerExtension implements BeforeAllCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(FakeServerExtension.class);
    private static final String SERVER = "server";
    private static final String TENANT = "tenant";

    @Override
    public void beforeAll(ExtensionContext context) {
        server(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == FakeSegmindServer.class || type == Tenant.class || type == ManualClock.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        if (type == FakeSegmindServer.class) {
            return server(context);
        }
        Tenant tenant = tenant(context);
        if (type == Tenant.class) {
            return tenant;
        }
        if (tenant.clock() instanceof ManualClock) {
            return tenant.clock();
        }
        throw new ParameterResolutionException("a ManualClock parameter needs @SegmindFakeServer(time = MANUAL or AUTO_ADVANCE): "
                + context.getRequiredTestClass().getSimpleName() + " runs on real time");
    }

    private static FakeSegmindServer server(ExtensionContext context) {
        return store(context).getOrComputeIfAbsent(SERVER, k -> new ServerResource(FakeSegmindServer.start()), ServerResource.class).server;
    }

    private static Tenant tenant(ExtensionContext context) {
        SegmindFakeServer settings = settings(context);
        FakeSegmindServer server = server(context);
        return store(context).getOrComputeIfAbsent(TENANT, k -> {
            Tenant tenant;
            switch (settings.time()) {
                case MANUAL:
                    tenant = server.newTenant(new ManualClock());
                    break;
                case AUTO_ADVANCE:
                    tenant = server.newTenant(new ManualClock()).autoAdvance(step(settings));
                    break;
                default:
                    tenant = server.newTenant();
                    break;
            }
            return new TenantResource(tenant);
        }, TenantResource.class).tenant;
    }

    private static SegmindFakeServer settings(ExtensionContext context) {
        for (Optional<ExtensionContext> c = Optional.of(context); c.isPresent(); c = c.get().getParent()) {
            Optional<Class<?>> testClass = c.get().getTestClass();
            for (Class<?> k = testClass.orElse(null); k != null; k = k.getEnclosingClass()) {
                Optional<SegmindFakeServer> found = AnnotationSupport.findAnnotation(k, SegmindFakeServer.class);
                if (found.isPresent()) {
                    return found.get();
                }
            }
        }
        throw new ExtensionConfigurationException("FakeServerExtension is meant to be used through @SegmindFakeServer");
    }

    private static Duration step(SegmindFakeServer settings) {
        try {
            Duration step = Duration.parse(settings.autoAdvanceStep());
            if (step.isNegative() || step.isZero()) {
                throw new ExtensionConfigurationException("@SegmindFakeServer(autoAdvanceStep) must be positive, got " + settings.autoAdvanceStep());
            }
            return step;
        } catch (DateTimeParseException e) {
            throw new ExtensionConfigurationException("@SegmindFakeServer(autoAdvanceStep) must be an ISO-8601 duration such as PT5S, got \""
                    + settings.autoAdvanceStep() + '"', e);
        }
    }

    /**
     * The store key finds the closest context that already holds a value (the class's, for the
     * server); a new value lands in the given context's own store and closes with it.
     */
    private static ExtensionContext.Store store(ExtensionContext context) {
        return context.getStore(NAMESPACE);
    }

    /**
     * Closed by JUnit when its context ends. Implements both the old {@code CloseableResource}
     * (what Jupiter before 5.13 closes) and {@code AutoCloseable} (what later versions close); the
     * close is idempotent, so either or both are fine.
     */
    @SuppressWarnings("deprecation")
    static final class ServerResource implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        final FakeSegmindServer server;

        ServerResource(FakeSegmindServer server) {
            this.server = server;
        }

        @Override
        public void close() {
            server.close();
        }
    }

    @SuppressWarnings("deprecation")
    static final class TenantResource implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        final Tenant tenant;

        TenantResource(Tenant tenant) {
            this.tenant = tenant;
        }

        @Override
        public void close() {
            tenant.revoke();
        }
    }
}
