package dev.segmindkit.tck;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one {@link FaultSoak} run did: how many jobs, which faults it injected (jobs planned and
 * requests actually struck, by kind), how the jobs ended, how long it took, and every promise the
 * client broke. {@link #assertPromisesKept()} fails with the seed to replay the run.
 */
public final class SoakReport {
    private static final int SHOWN = 15;

    private final String client;
    private final long seed;
    private final int jobs;
    private final long requests;
    private final Map<SoakFault, Integer> faultedJobs;
    private final Map<SoakFault, Long> struck;
    private final Map<String, Integer> outcomes;
    private final List<String> problems;
    private final Duration wallTime;

    SoakReport(String client, long seed, int jobs, long requests, Map<SoakFault, Integer> faultedJobs, Map<SoakFault, Long> struck,
            Map<String, Integer> outcomes, List<String> problems, Duration wallTime) {
        this.client = client;
        this.seed = seed;
        this.jobs = jobs;
        this.requests = requests;
        this.faultedJobs = Collections.unmodifiableMap(new EnumMap<>(faultedJobs));
        this.struck = Collections.unmodifiableMap(new EnumMap<>(struck));
        this.outcomes = Collections.unmodifiableMap(new TreeMap<>(outcomes));
        this.problems = List.copyOf(problems);
        this.wallTime = wallTime;
    }

    /** The seed the run's plan was drawn from; set {@code -Dsegmindkit.soak.seed} to it to replay. */
    public long seed() {
        return seed;
    }

    /** How many jobs ran. */
    public int jobs() {
        return jobs;
    }

    /** How many requests reached the fake. */
    public long requests() {
        return requests;
    }

    /** Jobs by the fault planned for them ({@link SoakFault#NONE} for clean ones). */
    public Map<SoakFault, Integer> faultedJobs() {
        return faultedJobs;
    }

    /** Requests a fault struck, by the kind of fault planned for their job. */
    public Map<SoakFault, Long> struckRequests() {
        return struck;
    }

    /** Jobs by how they ended: {@code COMPLETED} or the exception's simple name. */
    public Map<String, Integer> outcomes() {
        return outcomes;
    }

    /** Every broken promise, one sentence each. */
    public List<String> problems() {
        return problems;
    }

    /** How long the run took on the wall clock, all groups together. */
    public Duration wallTime() {
        return wallTime;
    }

    /**
     * Passes when the client kept every promise.
     *
     * @throws AssertionError listing the first problems and how to replay the run
     */
    public void assertPromisesKept() {
        if (problems.isEmpty()) {
            return;
        }
        StringBuilder s = new StringBuilder().append("The fault soak of ").append(client).append(" found ").append(problems.size())
                .append(" broken promise(s); replay with -D").append(FaultSoak.SEED_PROPERTY).append('=').append(seed)
                .append(" -D").append(FaultSoak.JOBS_PROPERTY).append('=').append(jobs).append(':');
        problems.stream().limit(SHOWN).forEach(p -> s.append(System.lineSeparator()).append("  - ").append(p));
        if (problems.size() > SHOWN) {
            s.append(System.lineSeparator()).append("  (and ").append(problems.size() - SHOWN).append(" more)");
        }
        throw new AssertionError(s.toString());
    }

    /**
     * Passes when the faults really happened: each kind planned for some job that strikes a
     * request struck at least one (a fault armed but never met proves nothing), and, when the run
     * had at least as many faulted jobs as there are kinds, every kind was planned.
     *
     * @throws AssertionError naming the kinds missing
     */
    public void assertEveryFaultInjected() {
        List<String> missing = new java.util.ArrayList<>();
        faultedJobs.keySet().stream().filter(k -> k.phase() != null && struck.getOrDefault(k, 0L) == 0)
                .forEach(k -> missing.add(k + " was planned but struck no request"));
        long faulted = faultedJobs.entrySet().stream().filter(e -> e.getKey() != SoakFault.NONE).mapToLong(Map.Entry::getValue).sum();
        if (faulted >= SoakFault.values().length - 1) {
            java.util.Arrays.stream(SoakFault.values()).filter(k -> !faultedJobs.containsKey(k))
                    .forEach(k -> missing.add(k + " was never planned"));
        }
        if (!missing.isEmpty()) {
            throw new AssertionError("The fault soak of " + client + " (seed " + seed + ") did not inject every fault: "
                    + String.join("; ", missing));
        }
    }

    /** The figures, a few lines, as the README's reliability section quotes them. */
    @Override
    public String toString() {
        String nl = System.lineSeparator();
        long faulted = faultedJobs.entrySet().stream().filter(e -> e.getKey() != SoakFault.NONE).mapToLong(Map.Entry::getValue).sum();
        StringBuilder s = new StringBuilder().append("Fault soak of ").append(client).append(": ").append(jobs).append(" jobs, ")
                .append(requests).append(" requests, seed ").append(seed).append(", ").append(wallTime.toMillis()).append(" ms").append(nl)
                .append("  faults injected: ").append(faulted).append(" jobs (")
                .append(String.format(java.util.Locale.ROOT, "%.1f%%", 100.0 * faulted / Math.max(1, jobs))).append("), ")
                .append(struck.values().stream().mapToLong(Long::longValue).sum()).append(" requests struck").append(nl);
        faultedJobs.forEach((kind, n) -> {
            if (kind != SoakFault.NONE) {
                s.append("    ").append(kind).append(": ").append(n).append(" jobs, ").append(struck.getOrDefault(kind, 0L))
                        .append(" requests struck").append(nl);
            }
        });
        s.append("  outcomes: ").append(outcomes).append(nl);
        s.append("  broken promises: ").append(problems.size());
        return s.toString();
    }
}
