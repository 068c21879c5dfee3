package dev.segmindkit.core;

import java.util.Objects;

/**
 * The state of an asynchronous job, forward compatible: a state the service adds later is kept
 * with its name and treated as not terminal, so an old client keeps polling instead of breaking.
 */
public final class JobStatus {
    public static final JobStatus QUEUED = new JobStatus("QUEUED");
    public static final JobStatus PROCESSING = new JobStatus("PROCESSING");
    public static final JobStatus COMPLETED = new JobStatus("COMPLETED");
    public static final JobStatus FAILED = new JobStatus("FAILED");

    private final String value;

    private JobStatus(String value) {
        this.value = value;
    }

    /**
     * The status the service calls {@code value}, matched without regard to case.
     *
     * @throws IllegalArgumentException if {@code value} is null or blank
     */
    public static JobStatus of(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("a job status needs a name, got " + (value == null ? "null" : "a blank string"));
        }
        // strip(), not trim(): the same whitespace as isBlank(), so "\u0000" cannot pass the check
        // above and then be trimmed to a status with an empty name.
        String upper = value.strip().toUpperCase(java.util.Locale.ROOT);
        switch (upper) {
            case "QUEUED": return QUEUED;
            case "PROCESSING": return PROCESSING;
            case "COMPLETED": return COMPLETED;
            case "FAILED": return FAILED;
            default: return new JobStatus(upper);
        }
    }

    /** The status's name as the service sends it, upper case. */
    public String value() {
        return value;
    }

    /** True for COMPLETED and FAILED: no further change will come. */
    public boolean isTerminal() {
        return this == COMPLETED || this == FAILED;
    }

    /** False for a state this version of the SDK does not know. */
    public boolean isKnown() {
        return this == QUEUED || this == PROCESSING || this == COMPLETED || this == FAILED;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JobStatus && ((JobStatus) o).value.equals(value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
