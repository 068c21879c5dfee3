/**
 * Benchmarks of segmindkit: JMH micro-benchmarks and load harnesses, each measured side by side with
 * its baseline in the same run. See bench/README.md for one command per benchmark.
 */
package dev.segmindkit.bench;
