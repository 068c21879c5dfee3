package dev.segmindkit.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segmindkit.core.InferenceFailedException;
import dev.segmindkit.core.InferenceResult;
import dev.segmindkit.core.InferenceTimeoutException;
import dev.segmindkit.core.JobMetrics;
import dev.segmindkit.core.JobStatus;
import dev.segmindkit.core.ModelRequest;
import dev.segmindkit.core.WaitInterruptedException;
import dev.segmindkit.sync.Job;
import dev.segmindkit.core.SegmindIOException;
import dev.segmindkit.core.internal.Spec;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Supplier;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The life of a job on the command line, shared by every command that runs or resumes one: open
 * the target, submit, show progress while waiting, then save or print the result. Ctrl-C while
 * waiting ends here too, with the command that resumes the job.
 */
final class JobRunner {
    private final Context ctx;
    private final TargetOptions target;
    private final OutputOptions output;
    private final Progress progress;
    /** Set once the job has an id, for the resume command. */
    private String requestId;
    /** Whether a submit may have reached the service (so a job may exist without an id known to us). */
    private boolean submitting;

    JobRunner(Context ctx, TargetOptions target, OutputOptions output) {
        this.ctx = ctx;
        this.target = target;
        this.output = output;
        this.progress = new Progress(ctx.err(), ctx.terminal(), output.quiet, ctx.time(), ctx::terminalWidth);
    }

    /**
     * Submits the request {@code build} makes (given the open target, for uploads) and, unless
     * {@code noWait}, waits for the job and delivers its result.
     */
    int submit(String model, boolean noWait, Function<Target, ModelRequest> build) {
        OutputFiles files = output.out == null ? null : OutputFiles.parse(output.out);
        try (Target t = Target.open(ctx, target, progress, output.timeout, model, output.quiet ? null : progress)) {
            try {
                progress.expect(typicalDuration(t, model));
                progress.start(model, "PREPARING");
                ModelRequest request = uploading(t, () -> build.apply(t));
                if (ctx.cancelled()) {
                    throw new WaitInterruptedException("(none yet)", new InterruptedException("cancelled before submitting"));
                }
                submitting = true;
                Job job = t.client.submit(request);
                submitting = false;
                requestId = job.requestId();
                progress.submitted(model, requestId);
                if (noWait) {
                    progress.stop();
                    return submittedOnly(t, model);
                }
                InferenceResult result = job.await();
                progress.stop();
                return deliver(t, files, result, model);
            } catch (RuntimeException e) {
                progress.stop();
                return failed(t, e);
            }
        }
    }

    /**
     * How long a job usually takes where the command runs: the embedded fake's own timeline, or
     * the spec's figure for the model on the real API (null when neither is known: no ETA).
     */
    private Duration typicalDuration(Target t, String model) {
        if (t.isEmbedded()) {
            return ctx.fakeQueued().plus(ctx.fakeProcessing());
        }
        return model == null ? null : Spec.get().typicalDuration(model).orElse(null);
    }

    /** Runs the request's making, in which local files may be uploaded: a network failure there names the asset host. */
    private static ModelRequest uploading(Target t, Supplier<ModelRequest> make) {
        try {
            return make.get();
        } catch (SegmindIOException e) {
            throw networkFailure("uploading to", t.uploadHost(), e);
        }
    }

    /** A network failure that names the host it happened with, unless the SDK's message already does. */
    private static CliException networkFailure(String doing, String host, SegmindIOException e) {
        String message = e.getMessage();
        return new CliException(ExitCode.NETWORK, "network failure" + (message.contains(host) ? "" : " " + doing + " " + host) + ": " + message, e);
    }

    /** Resumes a job by id: looks once, or with {@code wait} waits for it, then delivers its result. */
    int resume(String id, boolean wait) {
        OutputFiles files = output.out == null ? null : OutputFiles.parse(output.out);
        requestId = id;
        try (Target t = Target.open(ctx, target, progress, output.timeout, null, output.quiet ? null : progress)) {
            try {
                Job job = t.client.job(id);
                InferenceResult result;
                if (wait) {
                    progress.start(id, "WAITING");
                    result = job.await();
                } else {
                    result = job.result();
                }
                progress.stop();
                if (!result.status().isTerminal()) {
                    return notFinished(t, result);
                }
                return deliver(t, files, result, null);
            } catch (RuntimeException e) {
                progress.stop();
                return failed(t, e);
            }
        }
    }

    private int submittedOnly(Target t, String model) {
        PrintWriter out = ctx.out();
        if (output.json) {
            ObjectNode o = JsonOut.object().put("request_id", requestId).put("model", model).put("status", JobStatus.QUEUED.value())
                    .put("fake", t.isEmbedded());
            out.println(JsonOut.line(o));
        } else {
            out.println(requestId);
        }
        out.flush();
        if (t.isEmbedded()) {
            notice("segmind: the job ran on the embedded fake server, which stops with this command: it cannot be looked up later");
        } else {
            notice("segmind: submitted; wait for it with: " + resumeCommand(t));
        }
        return ExitCode.OK;
    }

    private int notFinished(Target t, InferenceResult result) {
        if (output.json) {
            ctx.out().println(JsonOut.line(JsonOut.object().put("request_id", requestId).put("status", result.status().value())
                    .put("fake", t.isEmbedded())));
            ctx.out().flush();
        }
        ctx.err().println("segmind: job " + requestId + " is " + result.status() + ", not finished yet: wait for it with: "
                + resumeCommand(t));
        ctx.err().flush();
        return ExitCode.TIMEOUT;
    }

    private int deliver(Target t, OutputFiles files, InferenceResult result, String model) {
        List<String> outputs = result.outputs();
        if (outputs.isEmpty() && files != null) {
            throw new CliException(ExitCode.SERVICE, "job " + result.requestId() + " " + result.status() + " without any output to save");
        }
        List<Path> saved;
        try {
            saved = files == null ? null : files.save(t.client.media(), outputs, stem(model, result.requestId()), this::notice);
        } catch (SegmindIOException e) {
            throw networkFailure("downloading the output from", hosts(outputs), e);
        }
        PrintWriter out = ctx.out();
        if (output.json) {
            out.println(JsonOut.line(JsonOut.result(result, model, saved, t.isEmbedded())));
        } else {
            (saved != null ? saved.stream().map(Path::toString) : outputs.stream()).forEach(out::println);
        }
        out.flush();
        notice("segmind: job " + result.requestId() + " " + result.status() + summary(result.metrics()));
        if (saved == null && t.isEmbedded() && !outputs.isEmpty()) {
            notice("segmind: these URLs are served by the embedded fake, which stops with this command: use --out to keep the images");
        }
        return ExitCode.OK;
    }

    private int failed(Target t, RuntimeException e) {
        boolean interrupted = e instanceof WaitInterruptedException || ctx.cancelled();
        if (!interrupted) {
            if (output.json && (e instanceof InferenceFailedException || e instanceof InferenceTimeoutException)) {
                ObjectNode o = JsonOut.object().put("request_id", e instanceof InferenceFailedException
                        ? ((InferenceFailedException) e).requestId().orElse(requestId) : ((InferenceTimeoutException) e).requestId().orElse(requestId));
                if (e instanceof InferenceFailedException) {
                    o.put("status", JobStatus.FAILED.value()).put("error", ((InferenceFailedException) e).error());
                    o.set("metrics", JsonOut.metrics(((InferenceFailedException) e).metrics()));
                } else {
                    o.put("status", ((InferenceTimeoutException) e).lastStatus().value()).put("timed_out", true);
                }
                o.put("fake", t.isEmbedded());
                ctx.out().println(JsonOut.line(o));
                ctx.out().flush();
            }
            if (e instanceof InferenceTimeoutException) {
                throw timedOut(t, (InferenceTimeoutException) e);
            }
            throw e;
        }
        // The interrupt was ours to handle: clear it so closing the client and the output below run normally.
        Thread.interrupted();
        PrintWriter err = ctx.err();
        if (requestId == null) {
            err.println(submitting ? "segmind: interrupted while submitting: the job may have been created (check your credits before trying again)"
                    : "segmind: interrupted before anything was submitted");
        } else if (t.isEmbedded()) {
            err.println("segmind: stopped waiting for job " + requestId + "; it ran on the embedded fake server, which stops with this"
                    + " command, so it cannot be resumed");
        } else {
            err.println("segmind: stopped waiting for job " + requestId + " (it goes on, and is billed). Resume it with:");
            err.println("  " + resumeCommand(t));
        }
        err.flush();
        return ExitCode.INTERRUPTED;
    }

    /** The deadline passed: say how to pick the job up again, with the options this run was given. */
    private CliException timedOut(Target t, InferenceTimeoutException e) {
        String id = e.requestId().orElse(requestId);
        String stopped = "stopped waiting for job " + id + " after " + Failures.seconds(e.waited()) + " (last status " + e.lastStatus() + ")";
        if (t.isEmbedded()) {
            return new CliException(ExitCode.TIMEOUT, stopped + "; it ran on the embedded fake server, which stops with this command,"
                    + " so it cannot be resumed", e);
        }
        return new CliException(ExitCode.TIMEOUT, stopped + "; it may still finish: " + resumeCommand(t), e);
    }

    /**
     * The command that picks this job up again, with the options that shape its result: where it
     * runs ({@code --base-url}), where the images go ({@code --out}), what is printed ({@code
     * --json}, {@code -q}), and a {@code --timeout} other than the default. The key and
     * {@code SEGMIND_BASE_URL} come from the environment, as they did for this run.
     */
    String resumeCommand(Target t) {
        StringBuilder s = new StringBuilder("segmind result ").append(requestId).append(" --wait");
        if (t.baseUrlOption != null) {
            s.append(" --base-url ").append(quote(t.baseUrlOption));
        }
        if (output.out != null) {
            s.append(" --out ").append(quote(output.out));
        }
        if (output.json) {
            s.append(" --json");
        }
        if (output.quiet) {
            s.append(" --quiet");
        }
        if (!OutputOptions.DEFAULT_TIMEOUT.equals(output.timeout)) {
            s.append(" --timeout ").append(DurationConverter.format(output.timeout));
        }
        return s.toString();
    }

    /** The hosts the outputs are fetched from, for a failed download's message. */
    private static String hosts(List<String> outputs) {
        Set<String> hosts = new LinkedHashSet<>();
        for (String o : outputs) {
            try {
                URI uri = URI.create(o);
                if (uri.getHost() != null) {
                    hosts.add(Target.hostOf(uri));
                }
            } catch (IllegalArgumentException notAUrl) {
                // An inline output (data URI, base64) has no host.
            }
        }
        return hosts.isEmpty() ? "the output" : String.join(", ", hosts);
    }

    /** Quotes a shell word only when it needs it. */
    static String quote(String word) {
        if (!word.isEmpty() && word.chars().allMatch(c -> Character.isLetterOrDigit(c) || "-_./:=@%+,".indexOf(c) >= 0)) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }

    private static String stem(String model, String requestId) {
        String id = requestId.length() > 8 ? requestId.substring(0, 8) : requestId;
        return (model != null ? model : "segmind") + "-" + id;
    }

    private String summary(JobMetrics m) {
        StringBuilder s = new StringBuilder();
        m.totalTime().or(m::inferenceTime).ifPresent(d -> s.append(" in ").append(Failures.seconds(d)));
        if (m.cost().isPresent()) {
            s.append(s.length() > 0 ? "," : "").append(" cost ").append(Failures.number(m.cost().getAsDouble())).append(" credits");
        }
        if (m.remainingCredits().isPresent()) {
            s.append(s.length() > 0 ? "," : "").append(' ').append(Failures.number(m.remainingCredits().getAsDouble())).append(" left");
        }
        return s.toString();
    }

    private void notice(String line) {
        if (!output.quiet) {
            ctx.err().println(line);
            ctx.err().flush();
        }
    }

    @Override
    public String toString() {
        return "JobRunner{" + (requestId == null ? "no job yet" : requestId.toLowerCase(Locale.ROOT)) + '}';
    }
}
