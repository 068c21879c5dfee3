package dev.segmindkit.sync.internal;

import dev.segmindkit.core.internal.Route;
import feign.Contract;
import feign.MethodMetadata;
import feign.Request;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.List;

/**
 * Feign's contract for {@link SegmindApi}: the request template of each method comes from its
 * {@link Route}, that is from the spec (method, path with its variable, Accept and Content-Type),
 * so no path is written twice and a change of the spec changes the client.
 */
final class RouteContract extends Contract.BaseContract {
    /** The template variable the {@link SegmindApi.Arg} parameter fills. */
    private static final String ARG = "arg";

    @Override
    protected void processAnnotationOnClass(MethodMetadata data, Class<?> type) {
        // Nothing at the interface level: every method carries its route.
    }

    @Override
    protected void processAnnotationOnMethod(MethodMetadata data, Annotation annotation, Method method) {
        if (!(annotation instanceof SegmindApi.Op)) {
            return;
        }
        Route route = ((SegmindApi.Op) annotation).value();
        data.template().method(Request.HttpMethod.valueOf(route.method()));
        data.template().uri(route.template(ARG));
        data.template().header("Accept", List.of(route.accept()));
        if (!route.method().equals("GET")) {
            data.template().header("Content-Type", List.of("application/json"));
        }
    }

    @Override
    protected boolean processAnnotationsOnParameter(MethodMetadata data, Annotation[] annotations, int index) {
        for (Annotation a : annotations) {
            if (a instanceof SegmindApi.Arg) {
                nameParam(data, ARG, index);
                return true;
            }
        }
        return false;
    }
}
