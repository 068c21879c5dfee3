package dev.segmindkit.testkit;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import javax.imageio.ImageIO;

/** Input pictures for tests, and decoding with standard decoders (TwelveMonkeys for WebP). */
final class TestImages {
    private TestImages() {
    }

    static byte[] png(int width, int height, Color colour) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(colour);
        g.fillRect(0, 0, width, height);
        g.dispose();
        return png(image);
    }

    static byte[] png(BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static String dataUri(byte[] png) {
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(png);
    }

    /** Decodes with whatever standard ImageIO reader claims the bytes; fails the test when none can. */
    static BufferedImage decode(byte[] bytes) {
        try {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
            if (image == null) {
                throw new AssertionError("no ImageIO reader could decode " + bytes.length + " bytes");
            }
            return image;
        } catch (IOException e) {
            throw new AssertionError("the image does not decode: " + e.getMessage(), e);
        }
    }

    /** The average colour of an image. */
    static Color average(BufferedImage image) {
        long r = 0;
        long g = 0;
        long b = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int p = image.getRGB(x, y);
                r += (p >> 16) & 0xFF;
                g += (p >> 8) & 0xFF;
                b += p & 0xFF;
            }
        }
        long n = (long) image.getWidth() * image.getHeight();
        return new Color((int) (r / n), (int) (g / n), (int) (b / n));
    }
}
