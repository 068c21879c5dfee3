package dev.segmindkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/** Decodes what the CLI saved, with ImageIO (and TwelveMonkeys for WebP), checking its real format. */
final class Images {
    private Images() {
    }

    /** The image in {@code file}, after checking ImageIO reads it as {@code format} ("png", "jpeg", "webp"). */
    static BufferedImage decode(Path file, String format) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            assertThat(readers.hasNext()).as("a reader for " + file).isTrue();
            ImageReader reader = readers.next();
            try {
                assertThat(reader.getFormatName().toLowerCase(java.util.Locale.ROOT)).as("format of " + file).isEqualTo(format);
                reader.setInput(in);
                BufferedImage image = reader.read(0);
                assertThat(image).isNotNull();
                return image;
            } finally {
                reader.dispose();
            }
        }
    }
}
