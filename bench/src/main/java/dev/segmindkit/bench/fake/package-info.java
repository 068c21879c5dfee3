/**
 * Benchmark 4: the testkit's fake server against WireMock 3 serving an equivalent stub, same
 * clients, same run: status-endpoint throughput (JMH) and cold start in fresh JVMs.
 */
package dev.segmindkit.bench.fake;
