package dev.segmindkit.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.segmindkit.testkit.internal.Images;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One job of a tenant. Its state is a pure function of its submission time, its plan and the
 * tenant's clock: QUEUED for {@code queued}, PROCESSING for {@code processing}, then COMPLETED or
 * FAILED; gone ("not found") one hour after submission. Nothing is stored when the state changes,
 * so moving a {@link ManualClock} is all it takes to move every job.
 */
final class Job {
    static final Duration RETENTION = Duration.ofHours(1);
    static final Duration MEDIA_RETENTION = Duration.ofDays(7);
    private static final int MAX_IMAGES = 10;

    /** A resolved script: durations filled in from the tenant's defaults. */
    static final class Plan {
        final Duration queued;
        final Duration processing;
        final JobScript script;

        Plan(Duration queued, Duration processing, JobScript script) {
            this.queued = queued;
            this.processing = processing;
            this.script = script;
        }

        boolean fails() {
            return script.error().isPresent();
        }
    }

    /** How the outputs look, worked out on first need because reading input images costs time. */
    static final class Render {
        final int width;
        final int height;
        final List<Color> palette;

        Render(int width, int height, List<Color> palette) {
            this.width = width;
            this.height = height;
            this.palette = palette;
        }
    }

    final String id;
    final String model;
    final Tenant tenant;
    final Instant submittedAt;
    final JsonNode params;
    final long seed;
    /** What the job costs if it completes; a FAILED job is never charged. */
    final BigDecimal price;
    /** The balance right after this job was charged; null until then (and for ever, if it failed). */
    private volatile BigDecimal remainingCredits;
    private volatile Plan plan;
    private volatile Render render;
    private final Map<Integer, byte[]> rendered = new ConcurrentHashMap<>();

    Job(String id, String model, Tenant tenant, Instant submittedAt, JsonNode params, long seed, BigDecimal price, Plan plan) {
        this.id = id;
        this.model = model;
        this.tenant = tenant;
        this.submittedAt = submittedAt;
        this.params = params;
        this.seed = seed;
        this.price = price;
        this.plan = plan;
    }

    Plan plan() {
        return plan;
    }

    void charged(BigDecimal balanceAfter) {
        remainingCredits = balanceAfter;
    }

    /** The balance right after the charge, once the job has been charged. */
    BigDecimal remainingCredits() {
        return remainingCredits;
    }

    void replan(JobScript script, Duration defaultQueued, Duration defaultProcessing) {
        plan = new Plan(script.queued().orElse(defaultQueued), script.processing().orElse(defaultProcessing), script);
    }

    boolean expired(Instant now) {
        return !now.isBefore(submittedAt.plus(RETENTION));
    }

    String state(Instant now) {
        Plan p = plan;
        Duration elapsed = Duration.between(submittedAt, now);
        if (elapsed.compareTo(p.queued) < 0) {
            return "QUEUED";
        }
        if (elapsed.compareTo(p.queued.plus(p.processing)) < 0) {
            return "PROCESSING";
        }
        return p.fails() ? "FAILED" : "COMPLETED";
    }

    Instant finishedAt() {
        Plan p = plan;
        return submittedAt.plus(p.queued).plus(p.processing);
    }

    /** How many images the job makes, from its parameters. */
    int imageCount() {
        Plan p = plan;
        if (!p.script.images().isEmpty()) {
            return p.script.images().size();
        }
        if (model.equals("material-transfer")) {
            return params.path("return_intermediate_images").asBoolean(false) ? 3 : 1;
        }
        JsonNode n = params.get("number_of_images");
        int count = n != null && n.canConvertToInt() && n.isIntegralNumber() ? n.intValue() : 1;
        return Math.max(1, Math.min(MAX_IMAGES, count));
    }

    /** The MIME type of output {@code index}. */
    String mime(int index) {
        List<byte[]> given = plan.script.images();
        if (!given.isEmpty()) {
            return Images.mimeType(given.get(index));
        }
        JsonNode format = params.get("output_format");
        if (format != null && format.isTextual()) {
            return Images.mimeOfFormat(format.asText());
        }
        // The two described models default to webp (the spec); other models answer JPEG, as v1 does.
        return FakeSegmindServer.describedModels().contains(model) ? "image/webp" : "image/jpeg";
    }

    int quality() {
        JsonNode q = params.get("output_quality");
        return q != null && q.isNumber() ? Math.max(0, Math.min(100, q.intValue())) : 80;
    }

    /** The media URLs of the outputs, or the given output strings. */
    List<String> outputs(String baseUrl) {
        Plan p = plan;
        if (!p.script.outputs().isEmpty()) {
            return p.script.outputs();
        }
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < imageCount(); i++) {
            urls.add(baseUrl + "/media/" + id + "/" + i + "." + Images.extension(mime(i)));
        }
        return urls;
    }

    /** The bytes of output {@code index}, rendered once. */
    byte[] image(int index, FakeSegmindServer server) {
        List<byte[]> given = plan.script.images();
        if (!given.isEmpty()) {
            return given.get(index);
        }
        return rendered.computeIfAbsent(index, i -> {
            Render r = render(server);
            BufferedImage picture = Images.render(r.width, r.height, r.palette, seed, i);
            return Images.encode(picture, mime(i), quality());
        });
    }

    private Render render(FakeSegmindServer server) {
        Render r = render;
        if (r == null) {
            r = server.renderFor(this);
            render = r;
        }
        return r;
    }
}
