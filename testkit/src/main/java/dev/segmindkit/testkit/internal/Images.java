package dev.segmindkit.testkit.internal;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * The fake's pictures: decoding what clients send (data URIs, raw base64, stored assets),
 * taking a palette from them, and rendering outputs that are real, decodable images of the
 * requested format and size, the same for the same seed and inputs.
 */
public final class Images {
    /** The largest side the fake renders, so a typo in a test cannot ask for a gigapixel image. */
    public static final int MAX_SIDE = 4096;

    private Images() {
    }

    /** The MIME type of image bytes from their leading bytes, or null when they are no image the fake knows. */
    public static String mimeType(byte[] d) {
        if (d == null || d.length < 4) {
            return null;
        }
        if ((d[0] & 0xFF) == 0x89 && d[1] == 'P' && d[2] == 'N' && d[3] == 'G') {
            return "image/png";
        }
        if ((d[0] & 0xFF) == 0xFF && (d[1] & 0xFF) == 0xD8 && (d[2] & 0xFF) == 0xFF) {
            return "image/jpeg";
        }
        if (d.length >= 12 && d[0] == 'R' && d[1] == 'I' && d[2] == 'F' && d[3] == 'F' && d[8] == 'W' && d[9] == 'E' && d[10] == 'B' && d[11] == 'P') {
            return "image/webp";
        }
        if (d[0] == 'G' && d[1] == 'I' && d[2] == 'F' && d[3] == '8') {
            return "image/gif";
        }
        if (d[0] == 'B' && d[1] == 'M') {
            return "image/bmp";
        }
        return null;
    }

    /** The file extension for a MIME type, for URLs the fake serves. */
    public static String extension(String mime) {
        switch (mime == null ? "" : mime.toLowerCase(Locale.ROOT)) {
            case "image/png": return "png";
            case "image/jpeg": return "jpg";
            case "image/webp": return "webp";
            case "image/gif": return "gif";
            case "image/bmp": return "bmp";
            default: return "bin";
        }
    }

    /** The MIME type of an {@code output_format} value ({@code webp}, {@code jpg}, {@code png}). */
    public static String mimeOfFormat(String format) {
        switch (format.toLowerCase(Locale.ROOT)) {
            case "png": return "image/png";
            case "jpg":
            case "jpeg": return "image/jpeg";
            default: return "image/webp";
        }
    }

    /**
     * The bytes of a {@code data:<mime>;base64,...} URI, or null when it is not one.
     */
    public static byte[] fromDataUri(String value) {
        if (value == null || !value.regionMatches(true, 0, "data:", 0, 5)) {
            return null;
        }
        int comma = value.indexOf(',');
        if (comma < 0 || !value.substring(0, comma).toLowerCase(Locale.ROOT).endsWith(";base64")) {
            return null;
        }
        try {
            return Base64.getMimeDecoder().decode(value.substring(comma + 1));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The bytes of raw base64 image data, or null when the string is not base64 of a known image. */
    public static byte[] fromRawBase64(String value) {
        if (value == null || value.length() < 16 || value.startsWith("http:") || value.startsWith("https:")) {
            return null;
        }
        try {
            byte[] bytes = Base64.getMimeDecoder().decode(value);
            return mimeType(bytes) == null ? null : bytes;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Decodes image bytes with whatever ImageIO readers are present; null when none can. */
    public static BufferedImage decode(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        try {
            return ImageIO.read(new ByteArrayInputStream(bytes));
        } catch (IOException | RuntimeException e) {
            // An input the fake cannot read only loses its colours: the job still runs, as the real one would try to.
            return null;
        }
    }

    /**
     * A palette of five colours: the image's average, then the averages of its four quadrants (so
     * a picture that is red on the left and blue on the right gives both).
     */
    public static List<Color> palette(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        List<Color> colours = new ArrayList<>();
        colours.add(average(image, 0, 0, w, h));
        int hw = Math.max(1, w / 2);
        int hh = Math.max(1, h / 2);
        colours.add(average(image, 0, 0, hw, hh));
        colours.add(average(image, w - hw, 0, w, hh));
        colours.add(average(image, 0, h - hh, hw, h));
        colours.add(average(image, w - hw, h - hh, w, h));
        return colours;
    }

    /** A palette of five colours made from a number, for inputs the fake cannot read. */
    public static List<Color> palette(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float hue = (float) random.nextDouble();
        List<Color> colours = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            colours.add(Color.getHSBColor(hue + i * 0.17f, 0.45f + 0.1f * (i % 3), 0.55f + 0.08f * i));
        }
        return colours;
    }

    private static Color average(BufferedImage image, int x0, int y0, int x1, int y1) {
        long r = 0;
        long g = 0;
        long b = 0;
        long n = 0;
        int stepX = Math.max(1, (x1 - x0) / 64);
        int stepY = Math.max(1, (y1 - y0) / 64);
        for (int y = y0; y < y1; y += stepY) {
            for (int x = x0; x < x1; x += stepX) {
                int p = image.getRGB(x, y);
                r += (p >> 16) & 0xFF;
                g += (p >> 8) & 0xFF;
                b += p & 0xFF;
                n++;
            }
        }
        return n == 0 ? Color.GRAY : new Color((int) (r / n), (int) (g / n), (int) (b / n));
    }

    /**
     * Renders one output picture: bands blending the palette's first colours, with flat shapes in
     * the others placed by the seed. Flat areas keep every format small and fast to encode.
     */
    public static BufferedImage render(int width, int height, List<Color> palette, long seed, int index) {
        if (width < 1 || height < 1 || width > MAX_SIDE || height > MAX_SIDE) {
            throw new IllegalArgumentException("image sides are 1.." + MAX_SIDE + " pixels, got " + width + "x" + height);
        }
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            Color from = palette.get(0);
            Color to = palette.get(1 % palette.size());
            int bands = 12;
            for (int band = 0; band < bands; band++) {
                float t = band / (float) (bands - 1);
                g.setColor(blend(from, to, t));
                int y0 = band * height / bands;
                int y1 = (band + 1) * height / bands;
                g.fillRect(0, y0, width, Math.max(1, y1 - y0));
            }
            int shapes = 3 + random.nextInt(4);
            for (int s = 0; s < shapes; s++) {
                g.setColor(palette.get((1 + random.nextInt(Math.max(1, palette.size() - 1))) % palette.size()));
                int w = Math.max(1, width / 8 + random.nextInt(Math.max(1, width / 3)));
                int h = Math.max(1, height / 8 + random.nextInt(Math.max(1, height / 3)));
                int x = random.nextInt(Math.max(1, width - w + 1));
                int y = random.nextInt(Math.max(1, height - h + 1));
                if (random.nextBoolean()) {
                    g.fillOval(x, y, w, h);
                } else {
                    g.fillRect(x, y, w, h);
                }
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    private static Color blend(Color a, Color b, float t) {
        return new Color(Math.round(a.getRed() + (b.getRed() - a.getRed()) * t),
                Math.round(a.getGreen() + (b.getGreen() - a.getGreen()) * t),
                Math.round(a.getBlue() + (b.getBlue() - a.getBlue()) * t));
    }

    /**
     * Encodes a picture as {@code image/webp} (lossless, our own encoder), {@code image/png} or
     * {@code image/jpeg} at {@code quality} (0..100).
     */
    public static byte[] encode(BufferedImage image, String mime, int quality) {
        switch (mime) {
            case "image/webp":
                return WebpEncoder.encode(image);
            case "image/png":
                return write(image, "png", -1);
            case "image/jpeg":
                return write(image, "jpeg", quality);
            default:
                throw new IllegalArgumentException("the fake renders webp, png and jpeg, not " + mime);
        }
    }

    private static byte[] write(BufferedImage image, String format, int quality) {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName(format);
        if (!writers.hasNext()) {
            throw new IllegalStateException("this JDK has no ImageIO writer for " + format);
        }
        ImageWriter writer = writers.next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (quality >= 0 && param.canWriteCompressed()) {
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(Math.max(0, Math.min(100, quality)) / 100f);
            }
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a " + format + " image", e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
