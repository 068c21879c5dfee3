/**
 * The blocking Segmind client, {@link dev.segmindkit.sync.SegmindClient}, on OpenFeign and
 * Resilience4j.
 */
module dev.segmindkit.sync {
    requires transitive dev.segmindkit.core;
    // The builder takes the user's own Feign client and decorators.
    requires transitive feign.core;
    requires transitive dev.segmindkit.resilience;
    requires io.github.resilience4j.core;
    requires java.net.http;
    requires org.slf4j;

    exports dev.segmindkit.sync;
}
