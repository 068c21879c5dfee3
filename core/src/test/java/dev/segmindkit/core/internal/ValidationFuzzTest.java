package dev.segmindkit.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.segmindkit.core.ModelRequest;
import dev.segmindkit.core.ValidationException;
import dev.segmindkit.core.ValidationException.Violation;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Client-side validation ({@link ModelRequest#validate()}, derived from the spec) on arbitrary
 * parameter maps for both described models and a model the spec does not describe: it either
 * passes or throws {@link ValidationException}, whose violations name fields the spec declares and
 * whose message names each of them and stays short whatever the values. Values are anything a
 * caller may put in a map: strings, every Java number type (NaN, infinities, huge and tiny
 * BigDecimals), booleans, nulls, lists and nested maps. See core/FUZZING.md.
 */
class ValidationFuzzTest {
    private static final String[] MODELS = {"style-transfer", "material-transfer", "flux-schnell"};
    private static final int MAX_MESSAGE = 16 * 1024;

    static {
        // Jazzer instruments a class when it loads; loading them here, before the fuzzer's clock
        // starts, leaves the short run in the build its few seconds for actual fuzzing.
        for (String model : MODELS) {
            try {
                ModelRequest.of(model, Map.of("style_image", 1, "number_of_images", 1.5, "seed", new BigDecimal("1e3"))).validate();
            } catch (ValidationException expected) {
                // warming up only
            }
        }
    }

    @FuzzTest(maxDuration = "5s")
    void anyParametersValidateOrNameTheBadFields(FuzzedDataProvider data) {
        String model = data.pickValue(MODELS);
        Set<String> fields = fields(model);
        List<String> names = new ArrayList<>(fields);
        Map<String, Object> params = new LinkedHashMap<>();
        int count = data.consumeInt(0, 16);
        for (int i = 0; i < count; i++) {
            String name = !names.isEmpty() && data.consumeBoolean() ? data.pickValue(names) : data.consumeString(20);
            params.put(name, value(data, 0));
        }
        ModelRequest request = ModelRequest.of(model, params);
        try {
            request.validate();
        } catch (ValidationException e) {
            assertThat(fields).as("an undescribed model is never checked").isNotEmpty();
            assertThat(e.violations()).isNotEmpty();
            assertThat(e.getMessage()).hasSizeLessThan(MAX_MESSAGE).contains(model);
            for (Violation v : e.violations()) {
                assertThat(fields).contains(v.field());
                assertThat(e.getMessage()).contains(v.field() + " " + v.problem());
                assertThat(v.problem()).hasSizeLessThan(1024);
            }
        }
    }

    private static Set<String> fields(String model) {
        Set<String> fields = new TreeSet<>();
        Spec.get().requestSchema(model).ifPresent(s -> s.path("properties").fieldNames().forEachRemaining(fields::add));
        return fields;
    }

    private static Object value(FuzzedDataProvider data, int depth) {
        switch (data.consumeInt(0, depth < 3 ? 15 : 13)) {
            case 0: return null;
            case 1: return data.consumeString(64);
            case 2: return data.consumeBoolean();
            case 3: return data.consumeInt();
            case 4: return data.consumeLong();
            case 5: return data.consumeDouble();
            case 6: return data.consumeRegularDouble();
            case 7: return data.consumeFloat();
            case 8: return data.pickValue(new Double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0});
            case 9: return new BigDecimal(new BigInteger(data.consumeBoolean() ? 1 : -1, data.consumeBytes(16)), data.consumeInt());
            case 10: return new BigDecimal(data.consumeInt(-1000, 1000)).scaleByPowerOfTen(data.consumeInt(-20, 20));
            case 11: return new BigInteger(1, data.consumeBytes(40)).negate();
            case 12: return data.consumeShort();
            case 13: return data.pickValue(new String[] {"", "fast", "webp", "medium", "jpg", "https://img/x.png"});
            case 14: {
                List<Object> list = new ArrayList<>();
                int n = data.consumeInt(0, 4);
                for (int i = 0; i < n; i++) {
                    list.add(value(data, depth + 1));
                }
                return list;
            }
            default: {
                Map<String, Object> map = new LinkedHashMap<>();
                int n = data.consumeInt(0, 4);
                for (int i = 0; i < n; i++) {
                    map.put(data.consumeString(10), value(data, depth + 1));
                }
                return map;
            }
        }
    }
}
