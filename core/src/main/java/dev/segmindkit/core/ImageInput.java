package dev.segmindkit.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;

/**
 * An image parameter: the service takes a URL, a {@code data:} URI or raw base64 as a string.
 * {@link #url}, {@link #file} and {@link #bytes} make that string; pass {@link #value()} to a
 * request's image field.
 *
 * <p>Files and bytes become data URIs with the image's MIME type, found from its leading bytes
 * (PNG, JPEG, WebP, GIF, BMP, TIFF) or else its file name. Large local files may be better
 * uploaded (see the clients' {@code upload}), which sends them once and passes a short URL.
 */
public final class ImageInput {
    private final String value;
    private final String description;

    private ImageInput(String value, String description) {
        this.value = value;
        this.description = description;
    }

    /**
     * An image the service fetches itself.
     *
     * @throws IllegalArgumentException if {@code url} is not an absolute http(s) URL
     */
    public static ImageInput url(String url) {
        Objects.requireNonNull(url, "url");
        URI uri;
        try {
            uri = URI.create(url.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a valid image URL: " + e.getMessage(), e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw new IllegalArgumentException("an image URL must be an absolute http(s) URL, got " + abbreviate(url));
        }
        return new ImageInput(uri.toString(), uri.toString());
    }

    /**
     * A local image file, sent inline as a data URI.
     *
     * @throws IllegalArgumentException if the file does not exist, is not a regular file, is
     *     empty, or is not an image type the service reads
     * @throws UncheckedIOException if it cannot be read
     */
    public static ImageInput file(Path file) {
        Objects.requireNonNull(file, "file");
        byte[] data;
        try {
            if (Files.isDirectory(file)) {
                throw new IllegalArgumentException("image file " + file + " is a directory");
            }
            data = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("image file " + file + " does not exist", e);
        } catch (IOException e) {
            throw new UncheckedIOException("image file " + file + " could not be read: " + e.getMessage(), e);
        }
        if (data.length == 0) {
            throw new IllegalArgumentException("image file " + file + " is empty");
        }
        String mime = sniff(data);
        if (mime == null) {
            mime = fromName(file.getFileName() == null ? "" : file.getFileName().toString());
        }
        if (mime == null) {
            throw new IllegalArgumentException("image file " + file + " is not a PNG, JPEG, WebP, GIF, BMP or TIFF image");
        }
        return new ImageInput(dataUri(mime, data), file + " (" + mime + ", " + data.length + " bytes)");
    }

    /**
     * Image bytes, sent inline as a data URI.
     *
     * @throws IllegalArgumentException if the bytes are empty or not a recognised image format
     */
    public static ImageInput bytes(byte[] data) {
        Objects.requireNonNull(data, "data");
        if (data.length == 0) {
            throw new IllegalArgumentException("image bytes are empty");
        }
        String mime = sniff(data);
        if (mime == null) {
            throw new IllegalArgumentException("image bytes are not a PNG, JPEG, WebP, GIF, BMP or TIFF image");
        }
        return new ImageInput(dataUri(mime, data), mime + ", " + data.length + " bytes");
    }

    /** The string to put in a request's image field. */
    public String value() {
        return value;
    }

    /** The image's MIME type from its leading bytes, or null when not recognised. */
    static String sniff(byte[] d) {
        if (startsWith(d, 0x89, 'P', 'N', 'G')) {
            return "image/png";
        }
        if (startsWith(d, 0xFF, 0xD8, 0xFF)) {
            return "image/jpeg";
        }
        if (startsWith(d, 'R', 'I', 'F', 'F') && d.length >= 12 && d[8] == 'W' && d[9] == 'E' && d[10] == 'B' && d[11] == 'P') {
            return "image/webp";
        }
        if (startsWith(d, 'G', 'I', 'F', '8')) {
            return "image/gif";
        }
        if (startsWith(d, 'B', 'M')) {
            return "image/bmp";
        }
        if (startsWith(d, 'I', 'I', 0x2A, 0x00) || startsWith(d, 'M', 'M', 0x00, 0x2A)) {
            return "image/tiff";
        }
        return null;
    }

    private static String fromName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.endsWith(".png")) {
            return "image/png";
        }
        if (n.endsWith(".jpg") || n.endsWith(".jpeg")) {
            return "image/jpeg";
        }
        if (n.endsWith(".webp")) {
            return "image/webp";
        }
        return null;
    }

    private static boolean startsWith(byte[] d, int... prefix) {
        if (d.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((d[i] & 0xFF) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static String dataUri(String mime, byte[] data) {
        return "data:" + mime + ";base64," + Base64.getEncoder().encodeToString(data);
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 60) + "...";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ImageInput && ((ImageInput) o).value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    /** Describes the image without its (possibly huge) inline data. */
    @Override
    public String toString() {
        return "ImageInput{" + description + '}';
    }
}
