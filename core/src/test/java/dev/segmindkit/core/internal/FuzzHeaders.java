package dev.segmindkit.core.internal;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Response headers made from fuzz input, the way a transport hands them over (a map of names to
 * value lists, no null names or values): names mostly the ones the SDK reads, in any case, values
 * anything, since a proxy or a broken gateway may send anything.
 */
final class FuzzHeaders {
    private static final String[] NAMES = {"x-request-id", "retry-after", "x-rate-limit-reset-at-utc", "x-remaining-credits",
        "x-cost", "x-generation-time", "x-seed-value", "content-type"};

    private FuzzHeaders() {
    }

    static Map<String, List<String>> consume(FuzzedDataProvider data) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        int count = data.consumeInt(0, 6);
        for (int i = 0; i < count; i++) {
            String name = data.consumeBoolean() ? data.pickValue(NAMES) : data.consumeString(24);
            if (data.consumeBoolean()) {
                name = name.toUpperCase(java.util.Locale.ROOT);
            }
            List<String> values = new ArrayList<>();
            int n = data.consumeInt(0, 2);
            for (int v = 0; v < n; v++) {
                values.add(data.consumeString(64));
            }
            headers.computeIfAbsent(name, k -> new ArrayList<>()).addAll(values);
        }
        return headers;
    }
}
