/**
 * Benchmark 5: peak heap growth while a 20 MB v1 image is written to a file by the blocking and the
 * reactive client, against the in-memory variant measured in the same run.
 */
package dev.segmindkit.bench.streaming;
