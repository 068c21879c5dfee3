package dev.segmindkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageInputTest {
    @TempDir
    Path dir;

    private static byte[] image(String format) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(4, 3, BufferedImage.TYPE_INT_RGB), format, out);
        return out.toByteArray();
    }

    @Test
    void filesBecomeDataUrisWithTheMimeTypeOfTheirContent() throws Exception {
        byte[] png = image("png");
        Path file = Files.write(dir.resolve("style.jpg"), png); // misnamed: content wins
        ImageInput input = ImageInput.file(file);
        assertThat(input.value()).isEqualTo("data:image/png;base64," + Base64.getEncoder().encodeToString(png));
        assertThat(input.toString()).contains("image/png").contains(png.length + " bytes").doesNotContain("base64,");
    }

    @Test
    void bytesAreSniffed() throws Exception {
        assertThat(ImageInput.bytes(image("jpg")).value()).startsWith("data:image/jpeg;base64,");
        byte[] webp = {'R', 'I', 'F', 'F', 0, 0, 0, 0, 'W', 'E', 'B', 'P', 'V', 'P', '8', 'L'};
        assertThat(ImageInput.bytes(webp).value()).startsWith("data:image/webp;base64,");
    }

    @Test
    void urlsPassThroughAfterACheck() {
        assertThat(ImageInput.url("https://example.com/a.png").value()).isEqualTo("https://example.com/a.png");
        assertThatThrownBy(() -> ImageInput.url("file:///etc/passwd")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("absolute http(s) URL");
        assertThatThrownBy(() -> ImageInput.url("not a url")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void unreadableFilesGetAClearError() throws Exception {
        assertThatThrownBy(() -> ImageInput.file(dir.resolve("missing.png"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not exist");
        assertThatThrownBy(() -> ImageInput.file(Files.write(dir.resolve("empty.png"), new byte[0])))
                .hasMessageContaining("is empty");
        assertThatThrownBy(() -> ImageInput.file(Files.writeString(dir.resolve("notes.txt"), "hello")))
                .hasMessageContaining("is not a PNG, JPEG, WebP");
        assertThatThrownBy(() -> ImageInput.file(dir)).hasMessageContaining("is a directory");
        assertThatThrownBy(() -> ImageInput.bytes(new byte[] {1, 2, 3})).hasMessageContaining("not a PNG");
    }
}
