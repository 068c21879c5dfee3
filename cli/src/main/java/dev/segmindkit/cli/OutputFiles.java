package dev.segmindkit.cli;

import dev.segmindkit.core.MediaDownloader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where {@code --out} puts a job's images, and the saving itself. Checked before the job is
 * submitted ({@link #parse}), so a typo in a path never costs a paid job. Each file gets the
 * extension of the format its bytes really are (the service may answer another format than asked),
 * and appears whole or not at all.
 */
final class OutputFiles {
    private static final List<String> IMAGE_EXTENSIONS = List.of("png", "jpg", "jpeg", "webp", "gif", "bmp");

    private final Path path;
    private final boolean directory;

    private OutputFiles(Path path, boolean directory) {
        this.path = path;
        this.directory = directory;
    }

    /**
     * The target of {@code --out}: a directory if it is one or ends with a slash (created if
     * missing), else a file whose directory must exist.
     *
     * @throws CliException (bad parameters) if the file's directory does not exist
     */
    static OutputFiles parse(String out) {
        boolean slash = out.endsWith("/") || out.endsWith(java.io.File.separator);
        Path p = Path.of(out);
        if (slash || Files.isDirectory(p)) {
            if (Files.exists(p) && !Files.isDirectory(p)) {
                throw CliException.usage("--out " + out + ": is a file, not a directory");
            }
            return new OutputFiles(p, true);
        }
        Path parent = p.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw CliException.usage("--out " + out + ": the directory " + parent + " does not exist");
        }
        return new OutputFiles(p, false);
    }

    /** The image format the file name asks for ({@code out.png}: png), if it names one. */
    Optional<String> requestedFormat() {
        if (directory) {
            return Optional.empty();
        }
        String ext = extension(path.getFileName().toString());
        return ext != null && IMAGE_EXTENSIONS.contains(ext) ? Optional.of(ext.equals("jpeg") ? "jpg" : ext) : Optional.empty();
    }

    /**
     * Downloads and saves every output, in order.
     *
     * @param stem the name of files made in a directory, such as {@code style-transfer-1f0c2a3b}
     * @param notices hears when a file's extension was corrected
     * @return the files written
     */
    List<Path> save(MediaDownloader media, List<String> outputs, String stem, Consumer<String> notices) {
        List<Path> written = new ArrayList<>();
        try {
            if (directory) {
                Files.createDirectories(path);
            }
            for (int i = 0; i < outputs.size(); i++) {
                String number = outputs.size() == 1 ? "" : "-" + (i + 1);
                Path dir = directory ? path : path.toAbsolutePath().getParent();
                Path tmp = Files.createTempFile(dir, ".segmind-", ".part");
                try {
                    media.save(outputs.get(i), tmp);
                    String actual = sniff(tmp);
                    Path target = target(number, actual, stem);
                    if (!directory) {
                        String asked = extension(path.getFileName().toString());
                        if (asked != null && IMAGE_EXTENSIONS.contains(asked) && actual != null && !same(asked, actual)) {
                            notices.accept("segmind: the service sent " + actual.toUpperCase(Locale.ROOT) + ", not "
                                    + asked.toUpperCase(Locale.ROOT) + ": saved as " + target);
                        }
                    }
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                    written.add(target);
                } finally {
                    Files.deleteIfExists(tmp);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not save the output to " + path + ": " + e.getMessage(), e);
        }
        return written;
    }

    private Path target(String number, String actual, String stem) {
        String ext = actual != null ? actual : "bin";
        if (directory) {
            return path.resolve(stem + number + "." + ext);
        }
        String name = path.getFileName().toString();
        String asked = extension(name);
        String base = asked != null && (IMAGE_EXTENSIONS.contains(asked) || actual == null) ? name.substring(0, name.length() - asked.length() - 1) : name;
        String keep = actual == null && asked != null ? asked : ext;
        return path.resolveSibling(base + number + "." + keep);
    }

    private static boolean same(String a, String b) {
        return a.equals(b) || (a.equals("jpeg") && b.equals("jpg"));
    }

    private static String extension(String name) {
        int dot = name.lastIndexOf('.');
        return dot <= 0 || dot == name.length() - 1 ? null : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /** The image format of a file from its leading bytes, as a file extension; null if unknown. */
    static String sniff(Path file) throws IOException {
        byte[] d;
        try (InputStream in = Files.newInputStream(file)) {
            d = in.readNBytes(12);
        }
        if (d.length >= 4 && (d[0] & 0xFF) == 0x89 && d[1] == 'P' && d[2] == 'N' && d[3] == 'G') {
            return "png";
        }
        if (d.length >= 3 && (d[0] & 0xFF) == 0xFF && (d[1] & 0xFF) == 0xD8 && (d[2] & 0xFF) == 0xFF) {
            return "jpg";
        }
        if (d.length >= 12 && d[0] == 'R' && d[1] == 'I' && d[2] == 'F' && d[3] == 'F' && d[8] == 'W' && d[9] == 'E' && d[10] == 'B' && d[11] == 'P') {
            return "webp";
        }
        if (d.length >= 4 && d[0] == 'G' && d[1] == 'I' && d[2] == 'F' && d[3] == '8') {
            return "gif";
        }
        if (d.length >= 2 && d[0] == 'B' && d[1] == 'M') {
            return "bmp";
        }
        return null;
    }

    @Override
    public String toString() {
        return (directory ? "directory " : "file ") + path;
    }
}
