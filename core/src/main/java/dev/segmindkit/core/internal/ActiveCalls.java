package dev.segmindkit.core.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The threads inside a blocking client's calls (an exchange or a wait), so that closing the client
 * ends them all at once: {@link #closeAll()} interrupts each thread while it is inside, and only
 * then (the interrupt never reaches a caller's later work: {@link #exit} clears it).
 */
public final class ActiveCalls {
    private final Set<Thread> active = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /** Whether {@link #closeAll()} was called. */
    public boolean closed() {
        return closed;
    }

    /** The calling thread enters a call; null if it was inside one already (a nested call). */
    public Thread enter() {
        Thread self = Thread.currentThread();
        return active.add(self) ? self : null;
    }

    /** The thread that entered leaves its call. */
    public void exit(Thread self) {
        if (self != null) {
            synchronized (self) {
                active.remove(self);
                if (closed) {
                    // The interrupt was ours, meant for this call.
                    Thread.interrupted();
                }
            }
        }
    }

    /** Marks the client closed and wakes every thread inside a call. */
    public void closeAll() {
        closed = true;
        for (Thread t : active) {
            synchronized (t) {
                if (active.contains(t)) {
                    t.interrupt();
                }
            }
        }
    }
}
