package dev.segmindkit.bench.concurrency;

import java.lang.management.ManagementFactory;

/** This process's CPU time, all threads (JIT and GC included), from the JDK's management bean. */
public final class Cpu {
    private Cpu() {
    }

    /** Process CPU time in nanoseconds since the JVM started. */
    public static long processNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
