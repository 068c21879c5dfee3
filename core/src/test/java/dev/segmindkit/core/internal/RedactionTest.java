package dev.segmindkit.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedactionTest {
    @Test
    void theKeyIsMaskedAndInlineImagesShortened() {
        String key = "SG_0123456789abcdef";
        String text = "x-api-key: " + key + " body {\"style_image\":\"data:image/png;base64," + "QUJD".repeat(500) + "\",\"raw\":\""
                + "Zm9v".repeat(100) + "\"}";
        String safe = Redaction.redact(text, key);
        assertThat(safe).doesNotContain(key).contains("x-api-key: ****").contains("data:image/png;base64,QUJDQUJD...(2000 chars)")
                .contains("Zm9vZm9v...(400 chars)").hasSizeLessThan(200);
    }

    @Test
    void shortTextIsUntouched() {
        assertThat(Redaction.redact("{\"prompt\":\"a cat\"}", "SG_x")).isEqualTo("{\"prompt\":\"a cat\"}");
        assertThat(Redaction.redact(null, "k")).isNull();
    }
}
