package dev.segmindkit.testkit;

import dev.segmindkit.core.TimeSource;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One API key of the fake server, and everything that belongs to it: its jobs, scripts, faults,
 * credits, forbidden and retired models, rate limit, clock and {@link Journal}. Tenants never see
 * each other's jobs (another key's request id is "not found"), so one server serves tests running
 * in parallel, each with its own tenant.
 *
 * <p>Made by {@link FakeSegmindServer#newTenant()}. Settings are changed with the fluent methods
 * below, at any time, and apply to the requests that follow. Nonsense (a negative duration, an
 * unknown model, a request id this tenant never had) throws {@link IllegalArgumentException} at
 * the call. Thread-safe.
 */
public final class Tenant {
    static final BigDecimal DEFAULT_CREDITS = new BigDecimal("100");

    private final FakeSegmindServer server;
    private final String apiKey;
    private final TimeSource clock;
    private final Journal journal = new Journal();
    final Map<String, Job> jobs = new ConcurrentHashMap<>();
    final Map<String, Asset> assets = new ConcurrentHashMap<>();

    private BigDecimal credits = DEFAULT_CREDITS;
    private BigDecimal freeCredits = BigDecimal.ZERO;
    /** A price for every model, or null: then {@link #prices} and the server's per-model prices apply. */
    private BigDecimal jobCost;
    private final Map<String, BigDecimal> prices = new HashMap<>();
    private final Map<String, Duration[]> timelines = new HashMap<>();
    /** Jobs not yet charged or let off: settled in order of their end, once the tenant's clock passes it. */
    private final List<Job> unsettled = new ArrayList<>();
    private final Set<String> forbidden = new HashSet<>();
    private final Set<String> retired = new HashSet<>();
    private boolean validationQuirk;
    private String uploadField = "file_urls";
    private Duration autoAdvance = Duration.ZERO;
    private Duration queued;
    private Duration processing;
    private TokenBucket bucket;
    private final Map<String, Deque<JobScript>> scripts = new HashMap<>();
    private final Map<Phase, Deque<Armed>> faults = new EnumMap<>(Phase.class);
    private volatile boolean revoked;
    private final java.util.concurrent.atomic.AtomicLong submits = new java.util.concurrent.atomic.AtomicLong();

    Tenant(FakeSegmindServer server, String apiKey, TimeSource clock, Duration autoAdvance) {
        this.server = server;
        this.apiKey = apiKey;
        this.clock = clock;
        if (!autoAdvance.isZero()) {
            autoAdvance(autoAdvance);
        }
    }

    /** The key to send as {@code x-api-key}. */
    public String apiKey() {
        return apiKey;
    }

    /** The clock this tenant's jobs, journal and rate limit run on. */
    public TimeSource clock() {
        return clock;
    }

    /** What this tenant's client did so far. */
    public Journal journal() {
        return journal;
    }

    /** Paid credits left, once every job that has completed by the tenant's clock is charged. */
    public synchronized double credits() {
        settle(clock.now());
        return credits.doubleValue();
    }

    /** Free credits left, once every job that has completed by the tenant's clock is charged. */
    public synchronized double freeCredits() {
        settle(clock.now());
        return freeCredits.doubleValue();
    }

    /**
     * Sets the paid credit balance (100 at first). A job is refused with 406 when paid and free
     * credits together are below its cost.
     *
     * @throws IllegalArgumentException if negative or not finite
     */
    public synchronized Tenant credits(double balance) {
        credits = amount(balance, "credits");
        return this;
    }

    /**
     * Sets the free credit balance (0 at first); jobs spend free credits first.
     *
     * @throws IllegalArgumentException if negative or not finite
     */
    public synchronized Tenant freeCredits(double balance) {
        freeCredits = amount(balance, "freeCredits");
        return this;
    }

    /**
     * Sets what a job of any model costs this tenant, over the per-model prices (see {@link
     * #price}). Reported in {@code x-cost} and {@code metrics.cost}; only a job that completes is
     * charged.
     *
     * @throws IllegalArgumentException if negative or not finite
     */
    public synchronized Tenant jobCost(double cost) {
        jobCost = amount(cost, "jobCost");
        return this;
    }

    /**
     * Sets what a job of {@code model} costs this tenant. Without it: {@link #jobCost} if set, else
     * the server's price ({@link FakeSegmindServer.Builder#price}), else the real figures: 0.0257
     * for style-transfer, 0.25 for material-transfer, 0.02 for other models.
     *
     * @throws IllegalArgumentException if the fake does not know the model, or the cost is negative or not finite
     */
    public synchronized Tenant price(String model, double cost) {
        prices.put(server.requireKnownModel(model), amount(cost, "price"));
        return this;
    }

    /** Takes back {@link #jobCost} and every {@link #price}: jobs cost the server's per-model prices again. */
    public synchronized Tenant clearPrices() {
        jobCost = null;
        prices.clear();
        return this;
    }

    /** What a job of {@code model} costs this tenant now. */
    public synchronized double priceOf(String model) {
        return price(model).doubleValue();
    }

    /**
     * Makes {@code model} forbidden to this key: 403 on v1 and submit.
     *
     * @throws IllegalArgumentException if the fake does not know the model
     */
    public synchronized Tenant forbid(String model) {
        forbidden.add(server.requireKnownModel(model));
        return this;
    }

    /** Takes back {@link #forbid}: the model is allowed again (all models are at first). */
    public synchronized Tenant permit(String model) {
        forbidden.remove(Objects.requireNonNull(model, "model"));
        return this;
    }

    /**
     * Makes {@code model} retired for this key: 410 on v1 and submit.
     *
     * @throws IllegalArgumentException if the fake does not know the model
     */
    public synchronized Tenant retire(String model) {
        retired.add(server.requireKnownModel(model));
        return this;
    }

    /** Takes back {@link #retire}: the model is served again. */
    public synchronized Tenant unretire(String model) {
        retired.remove(Objects.requireNonNull(model, "model"));
        return this;
    }

    /**
     * Where the fake validates a described model's parameters, an open question of the sources
     * (testkit/README.md). Off (the default): at submit, 400 naming every bad parameter. On: at run
     * time, as the gateway does for values it rejects only when the model runs: the submit is
     * accepted, the job FAILS within milliseconds (10 ms, no queue) with an error naming them and
     * is not charged; a v1 run answers 500 at once, not billed.
     */
    public synchronized Tenant validationQuirk(boolean on) {
        validationQuirk = on;
        return this;
    }

    /**
     * Under which name {@code /upload-asset} answers its URLs: {@code "file_urls"} (the default) or
     * {@code "urls"}, both seen from the real service.
     *
     * @throws IllegalArgumentException for any other name
     */
    public synchronized Tenant uploadUrlsField(String field) {
        if (!"file_urls".equals(field) && !"urls".equals(field)) {
            throw new IllegalArgumentException("upload answers use \"file_urls\" or \"urls\", not \"" + field + '"');
        }
        uploadField = field;
        return this;
    }

    /**
     * Auto-advance, for black-box clients that cannot share the clock: every status poll first
     * moves this tenant's clock on by {@code step}, then answers. {@code Duration.ZERO} turns it off.
     *
     * @throws IllegalArgumentException if {@code step} is negative, or this tenant's clock is not a
     *     {@link ManualClock} (the fake cannot move any other clock)
     */
    public synchronized Tenant autoAdvance(Duration step) {
        Objects.requireNonNull(step, "step");
        if (step.isNegative()) {
            throw new IllegalArgumentException("autoAdvance step must not be negative, got " + step);
        }
        if (!step.isZero() && !(clock instanceof ManualClock)) {
            throw new IllegalArgumentException("autoAdvance needs a tenant on a ManualClock, this one runs on " + clock);
        }
        autoAdvance = step;
        return this;
    }

    /**
     * How long unscripted jobs of every model stay QUEUED and then PROCESSING, over the per-model
     * timelines. Without it: {@link #timeline(String, Duration, Duration)} for the model, else the
     * server's ({@link FakeSegmindServer.Builder#timeline}), else 50 ms and 150 ms on real time,
     * else 2 s and the model's typical duration from the spec (17 s for style-transfer, 164 s for
     * material-transfer, 10 s for others).
     *
     * @throws IllegalArgumentException if a duration is negative
     */
    public synchronized Tenant timeline(Duration queuedFor, Duration processingFor) {
        queued = nonNegative(queuedFor, "queuedFor");
        processing = nonNegative(processingFor, "processingFor");
        return this;
    }

    /**
     * How long unscripted jobs of {@code model} stay QUEUED and then PROCESSING for this tenant.
     *
     * @throws IllegalArgumentException if the fake does not know the model, or a duration is negative
     */
    public synchronized Tenant timeline(String model, Duration queuedFor, Duration processingFor) {
        timelines.put(server.requireKnownModel(model), new Duration[] {nonNegative(queuedFor, "queuedFor"), nonNegative(processingFor, "processingFor")});
        return this;
    }

    synchronized void clearJobCost() {
        jobCost = null;
    }

    synchronized void clearModelPrices() {
        prices.clear();
    }

    synchronized void clearPrice(String model) {
        prices.remove(Objects.requireNonNull(model, "model"));
    }

    synchronized void clearAllModelsTimeline() {
        queued = null;
        processing = null;
    }

    synchronized void clearModelTimelines() {
        timelines.clear();
    }

    synchronized void clearTimeline(String model) {
        timelines.remove(Objects.requireNonNull(model, "model"));
    }

    synchronized boolean hasRateLimit() {
        return bucket != null;
    }

    /** Takes back every {@code timeline} of this tenant: the server's timelines apply again. */
    public synchronized Tenant clearTimelines() {
        queued = null;
        processing = null;
        timelines.clear();
        return this;
    }

    /** Takes back {@link #uploadUrlsField}: uploads answer {@code file_urls} again. */
    synchronized Tenant defaultUploadUrlsField() {
        uploadField = "file_urls";
        return this;
    }

    /** Sets the paid balance back to its first value, 100. */
    synchronized Tenant defaultCredits() {
        credits = DEFAULT_CREDITS;
        return this;
    }

    synchronized Set<String> forbiddenModels() {
        return new TreeSet<>(forbidden);
    }

    synchronized Set<String> retiredModels() {
        return new TreeSet<>(retired);
    }

    synchronized boolean hasAutoAdvanceClock() {
        return clock instanceof ManualClock;
    }

    /**
     * A token bucket on this key: bursts of up to {@code requests}, refilled at {@code requests}
     * per {@code per}, on this tenant's clock. A request finding it empty gets 429 with {@code
     * x-rate-limit-reset-at-utc} set to when the next token arrives. Media URLs are not limited.
     *
     * @throws IllegalArgumentException if {@code requests < 1} or {@code per} is not positive
     */
    public synchronized Tenant rateLimit(int requests, Duration per) {
        Objects.requireNonNull(per, "per");
        if (requests < 1) {
            throw new IllegalArgumentException("a rate limit allows at least 1 request, got " + requests);
        }
        if (per.isNegative() || per.isZero()) {
            throw new IllegalArgumentException("a rate limit's period must be positive, got " + per);
        }
        bucket = new TokenBucket(requests, per, clock.now());
        return this;
    }

    /** Lifts the rate limit. */
    public synchronized Tenant noRateLimit() {
        bucket = null;
        return this;
    }

    /**
     * Scripts the next job of {@code model} (v1 or v2) this tenant submits.
     *
     * @throws IllegalArgumentException if the fake does not know the model
     */
    public Tenant scriptNext(String model, JobScript script) {
        return scriptNext(model, 1, script);
    }

    /**
     * Scripts the next {@code count} jobs of {@code model} this tenant submits, in addition to any
     * already scripted (which go first).
     *
     * @throws IllegalArgumentException if the fake does not know the model, or {@code count < 1}
     */
    public synchronized Tenant scriptNext(String model, int count, JobScript script) {
        Objects.requireNonNull(script, "script");
        String known = server.requireKnownModel(model);
        if (count < 1) {
            throw new IllegalArgumentException("script at least 1 job, got count " + count);
        }
        Deque<JobScript> queue = scripts.computeIfAbsent(known, k -> new ArrayDeque<>());
        for (int i = 0; i < count; i++) {
            queue.add(script);
        }
        return this;
    }

    /**
     * Rescripts a job already submitted. Its timeline still starts at its submission, so the job
     * may jump to a later state at once.
     *
     * @throws IllegalArgumentException if this tenant has no job with that id
     */
    public Tenant script(String requestId, JobScript script) {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(script, "script");
        Job job = jobs.get(requestId);
        if (job == null) {
            throw new IllegalArgumentException("this tenant has no job with request id " + requestId
                    + (jobs.isEmpty() ? " (it has no jobs yet)" : " (its jobs: " + new TreeSet<>(jobs.keySet()) + ')'));
        }
        job.replan(script, defaultQueued(job.model), defaultProcessing(job.model));
        return this;
    }

    /** Injects a fault into this tenant's next requests of {@code phase} (after any already injected there). */
    public synchronized Tenant inject(Phase phase, Fault fault) {
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(fault, "fault");
        faults.computeIfAbsent(phase, p -> new ArrayDeque<>()).add(new Armed(fault));
        return this;
    }

    /** Removes every fault not yet spent, in all phases. */
    public synchronized Tenant clearFaults() {
        faults.clear();
        return this;
    }

    /**
     * Revokes the key: from now on it gets 401 "API key is invalid or may have expired", and its
     * jobs and media are gone. The JUnit extension revokes each test's tenant when the test ends.
     */
    public void revoke() {
        revoked = true;
        synchronized (this) {
            unsettled.clear();
        }
        server.forget(this);
        jobs.clear();
        assets.clear();
    }

    boolean revoked() {
        return revoked;
    }

    // ---- used by the fake's request handling ----

    synchronized Duration autoAdvanceStep() {
        return autoAdvance;
    }

    synchronized boolean quirk() {
        return validationQuirk;
    }

    synchronized String uploadField() {
        return uploadField;
    }

    synchronized boolean isForbidden(String model) {
        return forbidden.contains(model);
    }

    synchronized boolean isRetired(String model) {
        return retired.contains(model);
    }

    synchronized Fault takeFault(Phase phase) {
        Deque<Armed> queue = faults.get(phase);
        if (queue == null || queue.isEmpty()) {
            return null;
        }
        Armed armed = queue.peek();
        if (armed.fault.count() != Fault.FOREVER && --armed.remaining == 0) {
            queue.poll();
        }
        return armed.fault;
    }

    /** Null when the request may go ahead, else when the next token arrives. */
    synchronized Instant takeToken(Instant now) {
        return bucket == null ? null : bucket.take(now);
    }

    synchronized JobScript nextScript(String model) {
        Deque<JobScript> queue = scripts.get(model);
        return queue == null ? null : queue.poll();
    }

    synchronized BigDecimal price(String model) {
        BigDecimal own = prices.get(model);
        if (own != null) {
            return own;
        }
        return jobCost != null ? jobCost : server.price(model);
    }

    /**
     * Why a job of this price cannot start, or null when it can: the balance, less what the jobs
     * still in flight will cost, must cover it (so parallel jobs never overdraw the account).
     */
    synchronized String refusal(BigDecimal price, Instant now) {
        settle(now);
        BigDecimal balance = credits.add(freeCredits);
        BigDecimal held = BigDecimal.ZERO;
        for (Job job : unsettled) {
            if (!job.plan().fails()) {
                held = held.add(job.price);
            }
        }
        if (balance.subtract(held).compareTo(price) >= 0) {
            return null;
        }
        return "Insufficient credits: your balance is " + FakeApi.number(balance).toPlainString() + " credits"
                + (held.signum() > 0 ? " (" + FakeApi.number(held).toPlainString() + " of them held by jobs in flight)" : "")
                + " and this job needs " + FakeApi.number(price).toPlainString() + ". Please add credits to your account";
    }

    /** Settles one job now, whatever the clock says: a v1 run is over when it answers. */
    synchronized void settleNow(Job job) {
        if (unsettled.remove(job) && !job.plan().fails()) {
            BigDecimal cost = job.price;
            BigDecimal fromFree = freeCredits.min(cost);
            freeCredits = freeCredits.subtract(fromFree);
            credits = credits.subtract(cost.subtract(fromFree));
            job.charged(credits.add(freeCredits));
        }
    }

    /** A job that will be charged at its end if it completes. */
    synchronized void hold(Job job) {
        unsettled.add(job);
    }

    /**
     * Charges every job that has completed by {@code now}, in the order they ended, and lets off
     * every job that FAILED: only a job that produces output is billed. Called before anything that
     * shows a balance or a job's metrics, so balances are a function of the clock like job states.
     */
    synchronized void settle(Instant now) {
        if (unsettled.isEmpty()) {
            return;
        }
        List<Job> due = new ArrayList<>();
        for (Job job : unsettled) {
            if (!now.isBefore(job.finishedAt())) {
                due.add(job);
            }
        }
        if (due.isEmpty()) {
            return;
        }
        unsettled.removeAll(due);
        due.sort(Comparator.comparing(Job::finishedAt));
        for (Job job : due) {
            if (job.plan().fails()) {
                continue;
            }
            BigDecimal cost = job.price;
            BigDecimal fromFree = freeCredits.min(cost);
            freeCredits = freeCredits.subtract(fromFree);
            credits = credits.subtract(cost.subtract(fromFree));
            job.charged(credits.add(freeCredits));
        }
    }

    synchronized BigDecimal[] balances() {
        return new BigDecimal[] {credits, freeCredits};
    }

    synchronized Duration defaultQueued(String model) {
        if (queued != null) {
            return queued;
        }
        Duration[] own = timelines.get(model);
        return own != null ? own[0] : server.defaultQueued(clock, model);
    }

    synchronized Duration defaultProcessing(String model) {
        if (processing != null) {
            return processing;
        }
        Duration[] own = timelines.get(model);
        return own != null ? own[1] : server.defaultProcessing(clock, model);
    }

    /** Back to the first state: same key and clock; no jobs, assets, scripts, faults or journal; default settings. */
    synchronized void reset(Duration serverAutoAdvance) {
        jobs.values().forEach(server::unindex);
        jobs.clear();
        assets.keySet().forEach(server::unindexAsset);
        assets.clear();
        scripts.clear();
        faults.clear();
        journal.clear();
        credits = DEFAULT_CREDITS;
        freeCredits = BigDecimal.ZERO;
        jobCost = null;
        prices.clear();
        timelines.clear();
        unsettled.clear();
        forbidden.clear();
        retired.clear();
        validationQuirk = false;
        uploadField = "file_urls";
        autoAdvance = clock instanceof ManualClock ? serverAutoAdvance : Duration.ZERO;
        queued = null;
        processing = null;
        bucket = null;
    }

    /**
     * Forgets jobs whose request and media retention are both over, so a long-running standalone
     * server does not grow without end. Checked every so many submits, not on each.
     */
    void purge(Instant now) {
        if (submits.incrementAndGet() % 256 != 0) {
            return;
        }
        jobs.values().removeIf(job -> {
            boolean gone = job.expired(now) && !now.isBefore(job.finishedAt().plus(Job.MEDIA_RETENTION));
            if (gone) {
                server.unindex(job);
            }
            return gone;
        });
    }

    private static BigDecimal amount(double value, String name) {
        if (!Double.isFinite(value) || value < 0) {
            throw new IllegalArgumentException(name + " must be a finite, non-negative amount, got " + value);
        }
        return BigDecimal.valueOf(value);
    }

    private static Duration nonNegative(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, got " + d);
        }
        return d;
    }

    /** Shows only the start of the key, as logs of the SDK would. */
    @Override
    public String toString() {
        return "Tenant[" + (apiKey.length() > 7 ? apiKey.substring(0, 7) + "..." : apiKey) + (revoked ? ", revoked" : "") + ']';
    }

    private static final class Armed {
        final Fault fault;
        int remaining;

        Armed(Fault fault) {
            this.fault = fault;
            this.remaining = fault.count();
        }
    }

    /** A token bucket refilled continuously on the tenant's clock. */
    private static final class TokenBucket {
        private final int capacity;
        private final long nanosPerToken;
        private double tokens;
        private Instant last;

        TokenBucket(int capacity, Duration per, Instant now) {
            this.capacity = capacity;
            this.nanosPerToken = Math.max(1, per.toNanos() / capacity);
            this.tokens = capacity;
            this.last = now;
        }

        Instant take(Instant now) {
            if (now.isAfter(last)) {
                tokens = Math.min(capacity, tokens + Duration.between(last, now).toNanos() / (double) nanosPerToken);
                last = now;
            }
            if (tokens >= 1) {
                tokens -= 1;
                return null;
            }
            return now.plusNanos((long) Math.ceil((1 - tokens) * nanosPerToken));
        }
    }

    /** An uploaded asset, served back publicly. */
    static final class Asset {
        final String id;
        final byte[] bytes;
        final String mime;
        final Tenant owner;

        Asset(String id, byte[] bytes, String mime, Tenant owner) {
            this.id = id;
            this.bytes = bytes;
            this.mime = mime;
            this.owner = owner;
        }
    }
}
