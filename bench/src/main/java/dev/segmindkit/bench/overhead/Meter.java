package dev.segmindkit.bench.overhead;

import dev.segmindkit.bench.concurrency.Cpu;
import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;

/**
 * What a stretch of work cost this process, three ways: the process's CPU time (every thread, JIT
 * compiler and GC included, in the kernel's 10 ms ticks), the CPU time of its Java threads (to the
 * nanosecond; no JIT compiler or GC threads, so JIT activity on a loaded machine does not blur it),
 * and the bytes its Java threads allocated (barely moved by load at all).
 *
 * <p>Threads that end between two readings take their share with them; the threads doing the work
 * here (the harness thread, the HTTP clients' selector and event-loop threads) live throughout.
 */
final class Meter {
    private static final com.sun.management.ThreadMXBean THREADS = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private final long processCpu;
    private final Map<Long, long[]> perThread;

    private Meter(long processCpu, Map<Long, long[]> perThread) {
        this.processCpu = processCpu;
        this.perThread = perThread;
    }

    /** A reading now. */
    static Meter read() {
        long[] ids = THREADS.getAllThreadIds();
        long[] cpu = THREADS.getThreadCpuTime(ids);
        long[] allocated = THREADS.getThreadAllocatedBytes(ids);
        Map<Long, long[]> perThread = new HashMap<>();
        for (int i = 0; i < ids.length; i++) {
            if (cpu[i] >= 0 && allocated[i] >= 0) {
                perThread.put(ids[i], new long[] {cpu[i], allocated[i]});
            }
        }
        return new Meter(Cpu.processNanos(), perThread);
    }

    /** Process CPU, Java threads' CPU (both in ns) and bytes allocated from {@code before} to this reading. */
    long[] since(Meter before) {
        long threadCpu = 0;
        long allocated = 0;
        for (Map.Entry<Long, long[]> e : perThread.entrySet()) {
            long[] then = before.perThread.getOrDefault(e.getKey(), new long[2]);
            threadCpu += e.getValue()[0] - then[0];
            allocated += e.getValue()[1] - then[1];
        }
        return new long[] {processCpu - before.processCpu, threadCpu, allocated};
    }
}
