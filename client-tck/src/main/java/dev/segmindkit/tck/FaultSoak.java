package dev.segmindkit.tck;

import dev.segmindkit.core.ModelRequest;
import dev.segmindkit.core.PollingPolicy;
import dev.segmindkit.core.RetryPolicy;
import dev.segmindkit.core.SegmindConfig;
import dev.segmindkit.model.StyleTransferRequest;
import dev.segmindkit.testkit.FakeSegmindServer;
import dev.segmindkit.testkit.ManualClock;
import dev.segmindkit.testkit.Tenant;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The fault soak of docs/ARCHITECTURE.md section 3, written once for both clients: thousands of jobs through
 * one client against the fake server, about one in ten with an injected fault ({@link SoakFault}:
 * every phase of submit, wait and fetch, and the synchronous v1 run), then a check from the fake's
 * journal that no job was lost, no submit paid twice, no job polled after its terminal state or
 * past its deadline, rate-limit resets were honoured, and each fault ended the way the client
 * promises.
 *
 * <p><b>Time.</b> Nothing sleeps. Jobs are dealt to groups; each group has its own tenant and
 * {@link ManualClock}, shared by the fake and that group's client, and runs its jobs one after the
 * other, so its clock moves only for its own job and every journal entry between a job's start
 * and end is that job's. The groups run in parallel on a bounded pool, so the client serves many
 * jobs at once. (One clock shared by hundreds of concurrent jobs would move for all of them at
 * each sleep and push them past their deadlines.)
 *
 * <p><b>Replay.</b> The plan (models, faults, their parameters and positions) is drawn from one
 * seeded {@link Random}; the seed is printed and {@code -Dsegmindkit.soak.seed} sets it. {@code
 * -Dsegmindkit.soak.jobs} sets the job count (2,000 by default) and {@code
 * -Dsegmindkit.soak.faultRate} the share of faulted jobs (0.10).
 */
public final class FaultSoak {
    /** System property: how many jobs. */
    public static final String JOBS_PROPERTY = "segmindkit.soak.jobs";
    /** System property: the seed of the plan. */
    public static final String SEED_PROPERTY = "segmindkit.soak.seed";
    /** System property: the share of jobs that get a fault, 0.0 to 1.0. */
    public static final String FAULT_RATE_PROPERTY = "segmindkit.soak.faultRate";

    /** The clients' polling policy: the defaults with a 90 s deadline, so jobs that outlast it cost few polls. */
    static final PollingPolicy POLICY = PollingPolicy.defaults().withDeadline(Duration.ofSeconds(90));
    private static final int JOBS_PER_GROUP = 50;
    private static final SoakFault[] FAULTS = Arrays.stream(SoakFault.values()).filter(f -> f != SoakFault.NONE).toArray(SoakFault[]::new);

    /** Makes the client under test, as a {@link ClientBehaviourSuite} subclass does. */
    @FunctionalInterface
    public interface Clients {
        /** A client with this config whose waits move {@code clock} (the config's time source). */
        ClientAdapter newClient(SegmindConfig config, ManualClock clock);
    }

    private final int jobs;
    private final long seed;
    private final double faultRate;
    private final int threads;
    private final SoakFault[] kinds;

    private FaultSoak(int jobs, long seed, double faultRate, int threads, SoakFault[] kinds) {
        this.jobs = jobs;
        this.seed = seed;
        this.faultRate = faultRate;
        this.threads = threads;
        this.kinds = kinds;
    }

    /** The soak as the system properties say, else 2,000 jobs, a random seed and 10% faults. */
    public static FaultSoak fromSystemProperties() {
        String seed = System.getProperty(SEED_PROPERTY);
        return new FaultSoak(Integer.getInteger(JOBS_PROPERTY, 2_000),
                seed == null || seed.isBlank() ? ThreadLocalRandom.current().nextLong() : Long.parseLong(seed.strip()),
                Double.parseDouble(System.getProperty(FAULT_RATE_PROPERTY, "0.10")), 16, FAULTS).check();
    }

    /** The soak with {@code jobs} jobs, one in ten faulted, its plan drawn from {@code seed}: for regression tests. */
    public static FaultSoak of(int jobs, long seed) {
        return new FaultSoak(jobs, seed, 0.10, 16, FAULTS).check();
    }

    /** This soak with {@code jobs} jobs. */
    public FaultSoak jobs(int jobs) {
        return new FaultSoak(jobs, seed, faultRate, threads, kinds).check();
    }

    /** This soak drawing its plan from {@code seed}. */
    public FaultSoak seed(long seed) {
        return new FaultSoak(jobs, seed, faultRate, threads, kinds);
    }

    /** This soak with a share {@code rate} of faulted jobs. */
    public FaultSoak faultRate(double rate) {
        return new FaultSoak(jobs, seed, rate, threads, kinds).check();
    }

    /** This soak injecting only these kinds of fault: to keep a case that once failed as a regression test. */
    public FaultSoak only(SoakFault... faults) {
        SoakFault[] chosen = Arrays.stream(faults).filter(f -> f != SoakFault.NONE).toArray(SoakFault[]::new);
        if (chosen.length == 0) {
            throw new IllegalArgumentException("name at least one fault other than NONE");
        }
        return new FaultSoak(jobs, seed, faultRate, threads, chosen);
    }

    private FaultSoak check() {
        if (jobs < 1) {
            throw new IllegalArgumentException(JOBS_PROPERTY + " must be at least 1, got " + jobs);
        }
        if (!(faultRate >= 0.0 && faultRate <= 1.0)) {
            throw new IllegalArgumentException(FAULT_RATE_PROPERTY + " must be between 0.0 and 1.0, got " + faultRate);
        }
        return this;
    }

    /**
     * Runs the soak against {@code server} (which must know the generic model {@code flux-schnell})
     * and reports; the clients made are closed. Call {@link SoakReport#assertPromisesKept()} on the
     * report.
     *
     * @param name the client's name in the report
     */
    public SoakReport run(String name, FakeSegmindServer server, Clients clients) {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(clients, "clients");
        System.out.println("Fault soak of " + name + ": " + jobs + " jobs, seed " + seed + " (replay with -D" + SEED_PROPERTY + '=' + seed + ')');
        List<SoakJob> plan = plan();
        int groups = (jobs + JOBS_PER_GROUP - 1) / JOBS_PER_GROUP;
        List<List<SoakJob>> dealt = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
            dealt.add(new ArrayList<>());
        }
        plan.forEach(job -> dealt.get(job.index % groups).add(job));

        long started = System.nanoTime();
        List<String> problems = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, groups));
        try {
            List<Future<List<String>>> done = new ArrayList<>();
            for (List<SoakJob> group : dealt) {
                done.add(pool.submit(() -> runGroup(group, server, clients)));
            }
            for (Future<List<String>> f : done) {
                problems.addAll(f.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the soak ran", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("a soak group could not run: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        Duration wall = Duration.ofNanos(System.nanoTime() - started);

        Map<SoakFault, Integer> faulted = new EnumMap<>(SoakFault.class);
        Map<SoakFault, Long> struck = new EnumMap<>(SoakFault.class);
        Map<String, Integer> outcomes = new HashMap<>();
        long requests = 0;
        for (SoakJob job : plan) {
            faulted.merge(job.kind, 1, Integer::sum);
            struck.merge(job.kind, job.struck(), Long::sum);
            outcomes.merge(job.outcome(), 1, Integer::sum);
            requests += job.requests();
        }
        SoakReport report = new SoakReport(name, seed, jobs, requests, faulted, struck, outcomes, problems, wall);
        System.out.println(report);
        return report;
    }

    /** The whole run's plan, drawn in job order from the seed alone, so that a seed replays it. */
    private List<SoakJob> plan() {
        Random random = new Random(seed);
        int attempts = RetryPolicy.defaults().maxAttempts();
        List<SoakFault> deck = new ArrayList<>(Arrays.asList(kinds));
        java.util.Collections.shuffle(deck, random);
        int dealtFaults = 0;
        List<SoakJob> plan = new ArrayList<>(jobs);
        for (int i = 0; i < jobs; i++) {
            ModelRequest request = random.nextInt(4) == 0
                    ? ModelRequest.of("flux-schnell", Map.of("prompt", "soak " + i, "width", 16, "height", 16, "output_format", "png"))
                    : ModelRequest.styleTransfer(new StyleTransferRequest().styleImage("https://example.com/style.png")
                            .prompt("soak " + i).seed((long) i).width(32).height(32));
            // Dealt from a shuffled deck rather than drawn: once there are as many faulted jobs as
            // kinds, every kind is sure to be in the run.
            SoakFault kind = random.nextDouble() < faultRate ? deck.get(dealtFaults++ % deck.size()) : SoakFault.NONE;
            Duration delay = Duration.ofMillis(500 + random.nextInt(9_500));
            int spacer = kind == SoakFault.STATUS_429_NEAR_DEADLINE
                    ? Math.max(0, pollsBeforeDeadline(request) - 1 - random.nextInt(3)) : random.nextInt(5);
            // One clean job in twenty runs synchronously, as do the jobs with a v1 fault.
            boolean v1 = kind.v1() || kind == SoakFault.NONE && random.nextInt(20) == 0;
            plan.add(new SoakJob(i, kind, request, kind.draw(random, attempts, delay), spacer, delay, v1));
        }
        return plan;
    }

    /** How many status polls {@link #POLICY} makes for a job of this request that never ends. */
    static int pollsBeforeDeadline(ModelRequest request) {
        Duration elapsed = Duration.ZERO;
        int polls = 0;
        while (true) {
            Duration next = elapsed.plus(POLICY.delayBeforePoll(polls, elapsed, request.typicalDuration()));
            if (next.compareTo(POLICY.deadline()) > 0) {
                return polls;
            }
            elapsed = next;
            polls++;
        }
    }

    /** One group's jobs, one after the other on their own tenant and clock; the broken promises found. */
    private static List<String> runGroup(List<SoakJob> group, FakeSegmindServer server, Clients clients) {
        ManualClock clock = new ManualClock();
        Tenant tenant = server.newTenant(clock).credits(1_000_000);
        SegmindConfig config = SegmindConfig.builder().apiKey(tenant.apiKey()).baseUrl(server.baseUrl()).timeSource(clock)
                .pollingPolicy(POLICY).build();
        List<String> problems = new ArrayList<>();
        try (ClientAdapter client = clients.newClient(config, clock)) {
            for (SoakJob job : group) {
                job.run(client, tenant, clock, POLICY);
                List<String> found = job.problems(POLICY.deadline());
                if (!found.isEmpty() && problems.isEmpty()) {
                    found.set(0, found.get(0) + System.lineSeparator() + "    its journal:" + System.lineSeparator() + job.journal());
                }
                problems.addAll(found);
            }
        }
        for (Runnable assertion : List.<Runnable>of(tenant.journal()::assertNoPollAfterTerminal,
                tenant.journal()::assertRateLimitResetHonoured)) {
            try {
                assertion.run();
            } catch (AssertionError e) {
                String message = String.valueOf(e.getMessage());
                int cut = message.indexOf(System.lineSeparator());
                String first = cut < 0 ? message : message.substring(0, cut);
                problems.add("group of job #" + group.get(0).index + ": " + (first.length() > 2_000 ? first.substring(0, 2_000) + "..." : first));
            }
        }
        tenant.revoke();
        return problems;
    }
}
