package dev.segmindkit.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segmindkit.core.ModelRequest;
import dev.segmindkit.core.ValidationException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each defect the fuzz targets found, as a plain test that names it (the raw crashing inputs are
 * also kept in the targets' Inputs directories and replayed by every build). See core/FUZZING.md.
 */
class FuzzFindingsTest {
    @ParameterizedTest
    @ValueSource(strings = {"0f8c2a}e-1b7d", "../../v1/get-user-credits", "a/b", "a?b=c", "a#b", "a b", "..", ".", "%2e%2e"})
    void aSubmitAnswersRequestIdThatIsNotOnePathSegmentIsMalformed(String id) {
        byte[] body = ("{\"request_id\":\"" + id + "\",\"status\":\"QUEUED\"}").getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> Wire.submittedRequestId(body)).isInstanceOf(MalformedResponseException.class)
                .hasMessageContaining("request_id is not a plain id");
    }

    @Test
    void aUuidRequestIdIsAccepted() {
        byte[] body = "{\"request_id\":\"0f8c2a4e-1b7d-4c39-9a55-3e6f0b1d2c7a\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(Wire.submittedRequestId(body)).isEqualTo("0f8c2a4e-1b7d-4c39-9a55-3e6f0b1d2c7a");
    }

    /**
     * Not from a fuzzing run: seen while writing WireFuzzTest's "a decoded status is never blank"
     * property, which a 3-minute run did not reach (it needs a JSON escape inside the status).
     */
    @ParameterizedTest
    @ValueSource(strings = {"\\u0000", " \\u0000queued\\u0000 "})
    void aStatusOfControlCharactersIsNeverDecodedToABlankName(String escaped) {
        byte[] body = ("{\"status\":\"" + escaped + "\"}").getBytes(StandardCharsets.UTF_8);
        assertThat(Wire.status(body, "id", java.time.Instant.EPOCH).status().value()).isNotBlank();
    }

    @Test
    void aStatusOfWhitespaceOnlyIsMalformed() {
        byte[] body = "{\"status\":\" \\u001f\\u2003\"}".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> Wire.status(body, "id", java.time.Instant.EPOCH)).isInstanceOf(MalformedResponseException.class)
                .hasMessageContaining("no status");
    }

    @Test
    void aNumberWithAFarExponentIsDescribedBrieflyNotDigitByDigit() {
        BigDecimal huge = new BigDecimal(BigInteger.ONE, -999_999_999); // 1E+999999999: a billion digits in plain form
        ValidationException e = validationError("style-transfer", Map.of("style_image", "https://img/s.png", "number_of_images", huge));
        assertThat(e.getMessage()).contains("number_of_images must be between 1 and 10, got 1E+999999999").hasSizeLessThan(300);

        BigDecimal tiny = new BigDecimal(BigInteger.TEN, Integer.MIN_VALUE); // its trailing zero cannot even be stripped
        assertThat(validationError("style-transfer", Map.of("style_image", 7, "output_quality", tiny)).getMessage())
                .contains("style_image must be a string, got 7").contains("output_quality must be between 0 and 100, got ")
                .hasSizeLessThan(300);
    }

    private static ValidationException validationError(String model, Map<String, ?> params) {
        try {
            ModelRequest.of(model, params).validate();
        } catch (ValidationException e) {
            return e;
        }
        throw new AssertionError("expected a ValidationException");
    }
}
