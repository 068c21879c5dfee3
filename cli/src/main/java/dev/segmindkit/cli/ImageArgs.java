package dev.segmindkit.cli;

import dev.segmindkit.core.ImageInput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Turns what the user typed for an image parameter into what the service takes: an http(s) URL
 * and a {@code data:} URI pass as they are, a local file becomes a data URI (or, with {@code
 * --upload}, is uploaded later and replaced by its URL). Anything else is refused before a job is
 * submitted, naming the option.
 */
final class ImageArgs {
    private ImageArgs() {
    }

    /** True when the value names a local file rather than a URL or data URI. */
    static boolean isLocal(String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        return !(v.startsWith("http://") || v.startsWith("https://") || v.startsWith("data:"));
    }

    /**
     * The value to send inline.
     *
     * @throws CliException (bad parameters) if the file is missing or not an image, or the URL is invalid
     */
    static String inline(String option, String value) {
        String v = value.strip();
        try {
            if (!isLocal(v)) {
                return v.toLowerCase(Locale.ROOT).startsWith("data:") ? v : ImageInput.url(v).value();
            }
            return ImageInput.file(file(option, v)).value();
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            throw CliException.usage(option + ": " + e.getMessage());
        }
    }

    /**
     * The local file a value names.
     *
     * @throws CliException (bad parameters) if there is none
     */
    static Path file(String option, String value) {
        Path p = Path.of(value.strip());
        if (!Files.exists(p)) {
            throw CliException.usage(option + ": no such file: " + value + " (give a local image file, an http(s) URL or a data: URI)");
        }
        return p;
    }
}
