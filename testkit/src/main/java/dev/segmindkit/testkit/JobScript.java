package dev.segmindkit.testkit;

import dev.segmindkit.testkit.internal.Images;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How a job goes: queued for a while, processing for a while, then COMPLETED (with generated
 * images, given images or given output strings) or FAILED (with an error text). An immutable
 * value; hand it to {@link Tenant#scriptNext}, or to {@link Tenant#script(String, JobScript)} for a
 * job already submitted.
 *
 * <p>Durations left unset take the tenant's defaults (see {@link Tenant#timeline}). Nonsense
 * (negative durations, a blank error, output on a failing job, bytes that are no image) throws
 * {@link IllegalArgumentException} at the call.
 */
public final class JobScript {
    private final Duration queued;
    private final Duration processing;
    private final String error;
    private final List<byte[]> images;
    private final List<String> outputs;

    private JobScript(Duration queued, Duration processing, String error, List<byte[]> images, List<String> outputs) {
        this.queued = queued;
        this.processing = processing;
        this.error = error;
        this.images = images;
        this.outputs = outputs;
    }

    /** The job completes with images the fake renders from its parameters (format, size, count, seed, input colours). */
    public static JobScript completes() {
        return new JobScript(null, null, null, List.of(), List.of());
    }

    /**
     * The job FAILS with {@code error}: both GET endpoints then answer 422 with {@code
     * {"status": "FAILED", "error": error, "metrics": {...}}}, and a v1 run answers 500 with it.
     *
     * @throws IllegalArgumentException if {@code error} is blank
     */
    public static JobScript fails(String error) {
        Objects.requireNonNull(error, "error");
        if (error.isBlank()) {
            throw new IllegalArgumentException("a failing job needs an error text, got a blank one");
        }
        return new JobScript(null, null, error, List.of(), List.of());
    }

    /**
     * This script, with the job QUEUED for {@code duration} after its submission.
     *
     * @throws IllegalArgumentException if {@code duration} is negative
     */
    public JobScript queuedFor(Duration duration) {
        return new JobScript(nonNegative(duration, "queuedFor"), processing, error, images, outputs);
    }

    /**
     * This script, with the job PROCESSING for {@code duration} once out of the queue.
     *
     * @throws IllegalArgumentException if {@code duration} is negative
     */
    public JobScript processingFor(Duration duration) {
        return new JobScript(queued, nonNegative(duration, "processingFor"), error, images, outputs);
    }

    /**
     * This script, completing with exactly these images, served from the fake like generated ones
     * (one image: {@code output} is its URL; several: a list).
     *
     * @throws IllegalArgumentException if the job fails, no image is given, or some bytes are not
     *     a PNG, JPEG, WebP, GIF or BMP image
     */
    public JobScript withImages(byte[]... images) {
        Objects.requireNonNull(images, "images");
        requireCompleting("withImages");
        if (images.length == 0) {
            throw new IllegalArgumentException("withImages needs at least one image");
        }
        List<byte[]> copies = new ArrayList<>();
        for (int i = 0; i < images.length; i++) {
            byte[] image = Objects.requireNonNull(images[i], "images[" + i + "]");
            if (Images.mimeType(image) == null) {
                throw new IllegalArgumentException("images[" + i + "] is not a PNG, JPEG, WebP, GIF or BMP image");
            }
            copies.add(image.clone());
        }
        return new JobScript(queued, processing, error, Collections.unmodifiableList(copies), List.of());
    }

    /**
     * This script, completing with {@code output} set to exactly these strings (one: a string;
     * several: a list), for outputs the fake does not serve itself: another host's URL, a data
     * URI, raw base64. A v1 run, which answers bytes, ignores it and renders an image.
     *
     * @throws IllegalArgumentException if the job fails, or no output is given
     */
    public JobScript withOutput(String... outputs) {
        Objects.requireNonNull(outputs, "outputs");
        requireCompleting("withOutput");
        if (outputs.length == 0) {
            throw new IllegalArgumentException("withOutput needs at least one output");
        }
        List<String> list = new ArrayList<>();
        for (String output : outputs) {
            list.add(Objects.requireNonNull(output, "output"));
        }
        return new JobScript(queued, processing, error, List.of(), Collections.unmodifiableList(list));
    }

    Optional<Duration> queued() {
        return Optional.ofNullable(queued);
    }

    Optional<Duration> processing() {
        return Optional.ofNullable(processing);
    }

    /** The error text of a failing job; empty when it completes. */
    Optional<String> error() {
        return Optional.ofNullable(error);
    }

    List<byte[]> images() {
        return images;
    }

    List<String> outputs() {
        return outputs;
    }

    private void requireCompleting(String method) {
        if (error != null) {
            throw new IllegalArgumentException(method + ": a failing job has no output (it fails with \"" + error + "\")");
        }
    }

    private static Duration nonNegative(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, got " + d);
        }
        return d;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(error == null ? "completes" : "fails \"" + error + '"');
        if (queued != null) {
            s.append(", queued for ").append(queued);
        }
        if (processing != null) {
            s.append(", processing for ").append(processing);
        }
        if (!images.isEmpty()) {
            s.append(", with ").append(images.size()).append(" given image(s)");
        }
        if (!outputs.isEmpty()) {
            s.append(", with output ").append(outputs);
        }
        return s.toString();
    }
}
