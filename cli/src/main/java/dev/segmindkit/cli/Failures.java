package dev.segmindkit.cli;

import dev.segmindkit.core.AuthenticationException;
import dev.segmindkit.core.BadRequestException;
import dev.segmindkit.core.InferenceFailedException;
import dev.segmindkit.core.InferenceTimeoutException;
import dev.segmindkit.core.InsufficientCreditsException;
import dev.segmindkit.core.ModelRetiredException;
import dev.segmindkit.core.NotFoundException;
import dev.segmindkit.core.PermissionDeniedException;
import dev.segmindkit.core.RateLimitException;
import dev.segmindkit.core.SegmindApiException;
import dev.segmindkit.core.SegmindException;
import dev.segmindkit.core.SegmindIOException;
import dev.segmindkit.core.SubmitOutcomeUnknownException;
import dev.segmindkit.core.ValidationException;
import dev.segmindkit.core.WaitInterruptedException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * The one place where a failure becomes an exit code and a one-line message. Messages are the
 * SDK's own (which never hold the API key), reworded where a command-line user needs to know what
 * to do next.
 */
final class Failures {
    private Failures() {
    }

    static int exitCode(Throwable e) {
        if (e instanceof CliException) {
            return ((CliException) e).exitCode();
        }
        if (e instanceof ValidationException || e instanceof BadRequestException || e instanceof IllegalArgumentException) {
            return ExitCode.USAGE;
        }
        if (e instanceof AuthenticationException || e instanceof PermissionDeniedException) {
            return ExitCode.AUTH;
        }
        if (e instanceof InsufficientCreditsException) {
            return ExitCode.CREDITS;
        }
        if (e instanceof InferenceFailedException) {
            return ExitCode.JOB_FAILED;
        }
        if (e instanceof InferenceTimeoutException) {
            return ExitCode.TIMEOUT;
        }
        if (e instanceof SegmindIOException || e instanceof SubmitOutcomeUnknownException) {
            return ExitCode.NETWORK;
        }
        if (e instanceof NotFoundException) {
            return ExitCode.NOT_FOUND;
        }
        if (e instanceof WaitInterruptedException) {
            return ExitCode.INTERRUPTED;
        }
        if (e instanceof SegmindException) {
            // Any other API status (5xx, 429 after retries, 410, 405...) and unreadable answers.
            return ExitCode.SERVICE;
        }
        return ExitCode.ERROR;
    }

    /**
     * One line saying what went wrong and, where there is one, what to do.
     *
     * @param optionName turns a parameter's wire name into what the user typed ({@code
     *     number_of_images} to {@code --number-of-images})
     * @param service the host the command talked to ({@code api.segmind.com}), which network
     *     errors name
     */
    static String message(Throwable e, UnaryOperator<String> optionName, String service) {
        if (e instanceof CliException) {
            return e.getMessage();
        }
        if (e instanceof ValidationException) {
            return "invalid parameters: " + ((ValidationException) e).violations().stream()
                    .map(v -> optionName.apply(v.field()) + " " + v.problem()).collect(Collectors.joining("; "));
        }
        if (e instanceof AuthenticationException) {
            return "the API key was refused: " + ((SegmindApiException) e).errorMessage() + " (check SEGMIND_API_KEY)";
        }
        if (e instanceof PermissionDeniedException) {
            return "this account may not use the model: " + ((SegmindApiException) e).errorMessage();
        }
        if (e instanceof InsufficientCreditsException) {
            SegmindApiException api = (SegmindApiException) e;
            String left = api.remainingCredits().isPresent() ? " (" + number(api.remainingCredits().getAsDouble()) + " left)" : "";
            return "not enough credits" + left + ": " + api.errorMessage() + "; top up in the Segmind console";
        }
        if (e instanceof BadRequestException) {
            return "the service refused the parameters: " + ((SegmindApiException) e).errorMessage();
        }
        if (e instanceof InferenceFailedException) {
            InferenceFailedException f = (InferenceFailedException) e;
            return "job " + f.requestId().orElse("?") + " FAILED: " + f.error();
        }
        if (e instanceof InferenceTimeoutException) {
            InferenceTimeoutException t = (InferenceTimeoutException) e;
            String id = t.requestId().orElse("?");
            return "stopped waiting for job " + id + " after " + seconds(t.waited()) + " (last status " + t.lastStatus()
                    + "); it may still finish: segmind result " + id + " --wait";
        }
        if (e instanceof SubmitOutcomeUnknownException) {
            return "network failure: the submit to " + service + " was sent but its answer was lost, so the job may exist and be billed;"
                    + " it was not re-sent (check your credits before trying again)";
        }
        if (e instanceof SegmindIOException) {
            String what = e.getMessage();
            if (what.contains(service)) {
                return "network failure: " + what;
            }
            return ((SegmindIOException) e).requestSent() ? "network failure talking to " + service + ": " + what
                    : "network failure: could not reach " + service + " (" + what + ")";
        }
        if (e instanceof NotFoundException) {
            String id = ((NotFoundException) e).requestId().orElse(null);
            String what = ((SegmindApiException) e).errorMessage();
            return "not found: " + what + (id != null ? " (requests are kept for 1 hour after submission)" : "");
        }
        if (e instanceof RateLimitException) {
            return "rate limited by the service, and still after retrying: " + ((SegmindApiException) e).errorMessage();
        }
        if (e instanceof ModelRetiredException) {
            return "the model is retired: " + ((SegmindApiException) e).errorMessage();
        }
        if (e instanceof SegmindApiException) {
            SegmindApiException api = (SegmindApiException) e;
            return "the service answered HTTP " + api.status() + ": " + api.errorMessage();
        }
        if (e instanceof UncheckedIOException) {
            return e.getMessage();
        }
        if (e instanceof IllegalArgumentException) {
            return "invalid parameters: " + e.getMessage();
        }
        String message = e.getMessage();
        return (message == null ? e.getClass().getSimpleName() : message) + (e instanceof SegmindException ? "" : " (--verbose shows where)");
    }

    static String seconds(java.time.Duration d) {
        long millis = d.toMillis();
        if (millis < 60_000) {
            return String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
        }
        return String.format(Locale.ROOT, "%dm%02ds", millis / 60_000, (millis / 1000) % 60);
    }

    static String number(double d) {
        return java.math.BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }
}
