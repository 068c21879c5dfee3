package dev.segmindkit.testkit;

import static dev.segmindkit.testkit.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Outputs are real images of the requested format, size and count, deterministic by seed, coloured by their inputs. */
class ImagesTest extends OnManualClockTest {
    private JsonNode completed(String model, String params) {
        HttpResponse<byte[]> submit = http.post("/v2/" + model, tenant.apiKey(), params);
        assertThat(submit.statusCode()).as(Http.text(submit)).isEqualTo(200);
        clock.advance(Duration.ofMinutes(5));
        return json(http.get("/v2/requests/" + json(submit).get("request_id").asText(), tenant.apiKey()));
    }

    private byte[] download(String url) {
        HttpResponse<byte[]> r = http.get(url, null);
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    private static String formatName(byte[] bytes) throws Exception {
        try (ImageInputStream in = ImageIO.createImageInputStream(new java.io.ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            return readers.hasNext() ? readers.next().getFormatName().toLowerCase(java.util.Locale.ROOT) : "none";
        }
    }

    @ParameterizedTest(name = "{0} at {1}x{2}")
    @CsvSource({"webp, 64, 48, webp", "jpg, 33, 17, jpeg", "png, 100, 7, png", "webp, 1, 1, webp", "webp, 1024, 1024, webp"})
    void styleTransferOutputsDecodeToTheRequestedFormatAndSize(String format, int width, int height, String decoder) throws Exception {
        JsonNode result = completed("style-transfer", "{\"style_image\": \"https://example.com/s.png\", \"width\": " + width
                + ", \"height\": " + height + ", \"output_format\": \"" + format + "\", \"seed\": 5}");

        String url = result.get("output").asText();
        byte[] bytes = download(url);
        BufferedImage image = TestImages.decode(bytes);

        assertThat(url).endsWith("." + format);
        assertThat(formatName(bytes)).isEqualTo(decoder);
        assertThat(image.getWidth()).isEqualTo(width);
        assertThat(image.getHeight()).isEqualTo(height);
    }

    @Test
    void severalImagesAreAListOfDistinctDecodableUrls() {
        JsonNode output = completed("style-transfer", "{\"style_image\": \"https://example.com/s.png\", \"width\": 40, \"height\": 40, "
                + "\"number_of_images\": 3, \"output_format\": \"png\", \"seed\": 9}").get("output");

        assertThat(output.isArray()).isTrue();
        assertThat(output).hasSize(3);
        byte[] first = download(output.get(0).asText());
        byte[] second = download(output.get(1).asText());
        assertThat(TestImages.decode(first).getWidth()).isEqualTo(40);
        assertThat(TestImages.decode(second).getWidth()).isEqualTo(40);
        assertThat(first).isNotEqualTo(second);
    }

    @Test
    void theSameSeedGivesTheSameImageAndAnotherSeedAnother() {
        String params = "{\"style_image\": \"https://example.com/s.png\", \"width\": 50, \"height\": 30, \"output_format\": \"png\", \"seed\": %d}";
        byte[] a = download(completed("style-transfer", String.format(params, 1)).get("output").asText());
        byte[] b = download(completed("style-transfer", String.format(params, 1)).get("output").asText());
        byte[] c = download(completed("style-transfer", String.format(params, 2)).get("output").asText());

        assertThat(a).isEqualTo(b);
        assertThat(a).isNotEqualTo(c);
    }

    @Test
    void aStructureImageGivesTheOutputItsAspectRatioAndWidthAndHeightAreIgnored() {
        String structure = TestImages.dataUri(TestImages.png(300, 100, Color.GRAY));

        JsonNode result = completed("style-transfer", "{\"style_image\": \"https://example.com/s.png\", \"structure_image\": \"" + structure
                + "\", \"width\": 64, \"height\": 64, \"output_format\": \"png\"}");
        BufferedImage image = TestImages.decode(download(result.get("output").asText()));

        assertThat(image.getWidth()).isEqualTo(300);
        assertThat(image.getHeight()).isEqualTo(100);
    }

    @Test
    void aLargeStructureImageIsScaledDownKeepingItsAspectRatio() {
        String structure = TestImages.dataUri(TestImages.png(2048, 1024, Color.GRAY));

        JsonNode result = completed("style-transfer", "{\"style_image\": \"x\", \"structure_image\": \"" + structure + "\", \"output_format\": \"jpg\"}");
        BufferedImage image = TestImages.decode(download(result.get("output").asText()));

        assertThat(image.getWidth()).isEqualTo(1024);
        assertThat(image.getHeight()).isEqualTo(512);
    }

    @Test
    void theOutputTakesItsColoursFromTheStyleImage() {
        String red = TestImages.dataUri(TestImages.png(16, 16, new Color(220, 20, 20)));
        String blue = TestImages.dataUri(TestImages.png(16, 16, new Color(20, 20, 220)));
        String params = "{\"style_image\": \"%s\", \"width\": 64, \"height\": 64, \"output_format\": \"png\", \"seed\": 3}";

        Color fromRed = TestImages.average(TestImages.decode(download(completed("style-transfer", String.format(params, red)).get("output").asText())));
        Color fromBlue = TestImages.average(TestImages.decode(download(completed("style-transfer", String.format(params, blue)).get("output").asText())));

        assertThat(fromRed.getRed()).isGreaterThan(180);
        assertThat(fromRed.getBlue()).isLessThan(60);
        assertThat(fromBlue.getBlue()).isGreaterThan(180);
        assertThat(fromBlue.getRed()).isLessThan(60);
    }

    @Test
    void anUploadedAssetIsReadAsAnInputToo() {
        String dataUri = TestImages.dataUri(TestImages.png(16, 16, new Color(10, 200, 10)));
        String url = json(http.post("/upload-asset", tenant.apiKey(), "{\"data_urls\": [\"" + dataUri + "\"]}")).get("file_urls").get(0).asText();

        JsonNode result = completed("style-transfer", "{\"style_image\": \"" + url + "\", \"width\": 32, \"height\": 32, \"output_format\": \"png\"}");
        Color average = TestImages.average(TestImages.decode(download(result.get("output").asText())));

        assertThat(average.getGreen()).isGreaterThan(160);
        assertThat(average.getRed()).isLessThan(60);
    }

    @Test
    void materialTransferFitsTheSubjectIntoTheMaximumSizeWithTheMaterialsColours() {
        String subject = TestImages.dataUri(TestImages.png(400, 200, Color.WHITE));
        String material = TestImages.dataUri(TestImages.png(8, 8, new Color(200, 160, 20)));

        JsonNode result = completed("material-transfer", "{\"material_image\": \"" + material + "\", \"subject_image\": \"" + subject
                + "\", \"max_width\": 100, \"max_height\": 100}");
        String url = result.get("output").asText();
        BufferedImage image = TestImages.decode(download(url));

        assertThat(url).endsWith(".webp");
        assertThat(image.getWidth()).isEqualTo(100);
        assertThat(image.getHeight()).isEqualTo(50);
        assertThat(TestImages.average(image).getBlue()).isLessThan(80);
    }

    @Test
    void materialTransferWithIntermediateImagesAnswersAList() {
        JsonNode output = completed("material-transfer", "{\"material_image\": \"https://example.com/m.png\", \"subject_image\": "
                + "\"https://example.com/s.png\", \"max_width\": 24, \"max_height\": 16, \"return_intermediate_images\": true}").get("output");

        assertThat(output).hasSize(3);
        BufferedImage image = TestImages.decode(download(output.get(2).asText()));
        assertThat(image.getWidth()).isEqualTo(24);
        assertThat(image.getHeight()).isEqualTo(16);
    }

    @Test
    void v1AnswersTheRequestedFormat() {
        HttpResponse<byte[]> r = http.post("/v1/style-transfer", tenant.apiKey(), "{\"style_image\": \"x\", \"width\": 20, \"height\": 10}");

        assertThat(r.headers().firstValue("content-type")).hasValue("image/webp");
        BufferedImage image = TestImages.decode(r.body());
        assertThat(image.getWidth()).isEqualTo(20);
        assertThat(image.getHeight()).isEqualTo(10);
    }

    @Test
    void ourWebpIsLosslessPixelForPixel() {
        BufferedImage original = new BufferedImage(67, 41, BufferedImage.TYPE_INT_RGB);
        java.util.SplittableRandom random = new java.util.SplittableRandom(1);
        for (int y = 0; y < original.getHeight(); y++) {
            for (int x = 0; x < original.getWidth(); x++) {
                original.setRGB(x, y, random.nextInt(4) == 0 ? random.nextInt(0x1000000) : (x / 10) * 0x102030);
            }
        }
        Graphics2D g = original.createGraphics();
        g.setColor(Color.ORANGE);
        g.fillRect(5, 5, 40, 20);
        g.dispose();

        BufferedImage decoded = TestImages.decode(dev.segmindkit.testkit.internal.WebpEncoder.encode(original));

        assertSamePixels(original, decoded);
    }

    @Test
    void ourWebpHandlesTranslucencyLongRunsAndTheLargestFlatImages() {
        BufferedImage translucent = new BufferedImage(9, 5, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < 5; y++) {
            for (int x = 0; x < 9; x++) {
                translucent.setRGB(x, y, ((30 + x * 25) << 24) | (y * 50 << 8) | 0x30);
            }
        }
        assertSamePixels(translucent, TestImages.decode(dev.segmindkit.testkit.internal.WebpEncoder.encode(translucent)));

        BufferedImage flat = new BufferedImage(3000, 2000, BufferedImage.TYPE_INT_RGB);
        byte[] bytes = dev.segmindkit.testkit.internal.WebpEncoder.encode(flat);
        assertThat(bytes.length).as("runs of the longest copy VP8L allows make a flat image tiny").isLessThan(4000);
        assertSamePixels(flat, TestImages.decode(bytes));
    }

    @Test
    void ourWebpDecodesExactlyForHundredsOfRandomImages() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        for (int n = 0; n < 300; n++) {
            int width = 1 + random.nextInt(40);
            int height = 1 + random.nextInt(40);
            boolean alpha = random.nextInt(4) == 0;
            BufferedImage image = new BufferedImage(width, height, alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
            int[] palette = new int[1 + random.nextInt(300)];
            for (int i = 0; i < palette.length; i++) {
                palette[i] = random.nextInt() | (alpha ? (64 + random.nextInt(192)) << 24 : 0xFF000000);
            }
            int kind = random.nextInt(4);
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    int i = kind == 0 ? 0 : kind == 1 ? random.nextInt(palette.length) : kind == 2 ? (x / 3) % palette.length : (y + x / 7) % palette.length;
                    image.setRGB(x, y, palette[i]);
                }
            }
            assertSamePixels(image, TestImages.decode(dev.segmindkit.testkit.internal.WebpEncoder.encode(image)));
        }
    }

    private static void assertSamePixels(BufferedImage expected, BufferedImage actual) {
        assertThat(actual.getWidth()).isEqualTo(expected.getWidth());
        assertThat(actual.getHeight()).isEqualTo(expected.getHeight());
        for (int y = 0; y < expected.getHeight(); y++) {
            for (int x = 0; x < expected.getWidth(); x++) {
                int e = expected.getRGB(x, y);
                int a = actual.getRGB(x, y);
                if (e != a) {
                    throw new AssertionError(String.format("pixel (%d,%d): expected %08x, decoded %08x", x, y, e, a));
                }
            }
        }
    }
}
