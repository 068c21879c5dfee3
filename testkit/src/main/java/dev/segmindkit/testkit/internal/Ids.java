package dev.segmindkit.testkit.internal;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Request and asset ids: random version-4 UUIDs, as the real service's, drawn from {@link
 * ThreadLocalRandom}. {@link UUID#randomUUID()} would draw them from a {@code SecureRandom}, whose
 * first use loads the JDK's security providers (about a hundred classes) on the fake's first
 * submit, for ids that need to be unique, not unguessable.
 */
public final class Ids {
    private Ids() {
    }

    /** A new random id such as {@code 3f0c2a8e-5b1d-4c7e-9a6f-2d8b7e1c4a90}. */
    public static String random() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        long high = (r.nextLong() & ~0xF000L) | 0x4000L; // version 4
        long low = (r.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L; // IETF variant
        return new UUID(high, low).toString();
    }
}
