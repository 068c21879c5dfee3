package dev.segmindkit.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** {@link Spec#parameters}: the one walk of a model's request body, shared by validation and the CLI's options. */
class SpecParametersTest {
    private static final Spec SPEC = Spec.get();

    @Test
    void parametersComeInTheSpecsOrderWithTheirRequiredFlags() {
        List<Spec.Parameter> params = SPEC.parameters("material-transfer");

        assertThat(params.get(0).name()).isEqualTo("material_image");
        assertThat(params.stream().filter(Spec.Parameter::required).map(Spec.Parameter::name).collect(Collectors.toList()))
                .containsExactly("material_image", "subject_image");
    }

    @Test
    void aReferencedEnumSchemaIsFollowed() {
        Spec.Parameter model = SPEC.parameters("style-transfer").stream().filter(p -> p.name().equals("model")).findFirst().orElseThrow();

        assertThat(model.schema().has("$ref")).isFalse();
        assertThat(model.schema().path("enum").toString()).contains("fast", "high-quality");
    }

    @Test
    void aModelTheSpecDoesNotDescribeHasNoParameters() {
        assertThat(SPEC.parameters("flux-schnell")).isEmpty();
    }

    @Test
    void aSelfReferencingSchemaEndsInsteadOfLoopingForever() throws Exception {
        Spec looping = new Spec(new ObjectMapper().readTree("{\"paths\":{\"/v2/m\":{\"post\":{\"requestBody\":{\"content\":{\"application/json\":"
                + "{\"schema\":{\"properties\":{\"x\":{\"$ref\":\"#/components/schemas/A\"}}}}}}}}},"
                + "\"components\":{\"schemas\":{\"A\":{\"$ref\":\"#/components/schemas/A\"}}}}"));

        assertThat(looping.parameters("m")).extracting(Spec.Parameter::name).containsExactly("x");
    }

    @Test
    void aNumberWithAFarExponentStaysShort() {
        assertThat(Spec.plain(new BigDecimal("1E+999999999"))).hasSizeLessThanOrEqualTo(43);
        assertThat(Spec.plain(new BigDecimal("0.650"))).isEqualTo("0.65");
    }
}
