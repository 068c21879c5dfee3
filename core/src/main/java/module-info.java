/**
 * The runtime both Segmind clients share: configuration, the exception hierarchy, polling and
 * retry policies, job handles, results, image inputs, validation against the spec, and the time
 * seam; plus the request and response models generated from the spec ({@code dev.segmindkit.model}).
 *
 * <p>{@code dev.segmindkit.core.internal} is the shared engine of our own modules only: it is
 * exported to them by name and to nobody else, and may change in any release.
 */
module dev.segmindkit.core {
    requires dev.segmindkit.openapi;
    requires com.fasterxml.jackson.annotation;
    requires com.fasterxml.jackson.core;
    requires com.fasterxml.jackson.databind;
    requires java.net.http;
    requires org.slf4j;
    // The generated models' @Generated and nullability annotations: compile time only.
    requires static jakarta.annotation;

    exports dev.segmindkit.core;
    exports dev.segmindkit.model;
    exports dev.segmindkit.core.internal to
            dev.segmindkit.resilience,
            dev.segmindkit.sync,
            dev.segmindkit.reactive,
            dev.segmindkit.testkit,
            dev.segmindkit.cli;

    // Jackson binds the generated models by reflection.
    opens dev.segmindkit.model to com.fasterxml.jackson.databind;
}
