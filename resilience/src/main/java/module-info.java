/** The one place both clients meet Resilience4j: retries in the user's registry, the circuit breaker, the builders' doors. */
module dev.segmindkit.resilience {
    requires transitive dev.segmindkit.core;
    // The builders take the user's own registry and breaker.
    requires transitive io.github.resilience4j.retry;
    requires transitive io.github.resilience4j.circuitbreaker;
    requires io.github.resilience4j.core;
    exports dev.segmindkit.resilience;
}
