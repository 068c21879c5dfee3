package dev.segmindkit.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.segmindkit.core.ValidationException;
import dev.segmindkit.core.ValidationException.Violation;
import dev.segmindkit.openapi.SegmindSpec;
import java.io.InputStream;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The OpenAPI spec at run time, read from the {@code segmindkit-openapi} artifact's JSON form.
 * Validation of model parameters is derived from it: the required fields, types, enums, ranges
 * and lengths the spec declares for a model's request body are what is checked, so changing a
 * range in {@code segmind.yaml} changes the client's checks and the fake server's with it, with no
 * second copy to forget.
 *
 * <p>A model with no request schema of its own in the spec (any model but the two it describes)
 * passes through unchecked, since the service is the authority on it.
 */
public final class Spec {
    /** Where the spec's JSON form lives in segmindkit-openapi. */
    public static final String RESOURCE = SegmindSpec.JSON_RESOURCE;
    private static final String TYPICAL_DURATION = "x-segmind-typical-duration-seconds";

    private static final Spec INSTANCE = load();

    private final JsonNode root;

    Spec(JsonNode root) {
        this.root = root;
    }

    /** The spec shipped with this SDK. */
    public static Spec get() {
        return INSTANCE;
    }

    private static Spec load() {
        // Through a class of segmindkit-openapi: on the module path its resources are readable
        // only from inside its own module.
        InputStream in = SegmindSpec.openJson();
        return new Spec(JsonTree.parseResource(in, RESOURCE));
    }

    /** Models whose request body the spec describes (its {@code /v2/<model>} paths without a template). */
    public Set<String> describedModels() {
        Set<String> models = new TreeSet<>();
        root.path("paths").fieldNames().forEachRemaining(path -> {
            if (path.startsWith("/v2/") && !path.contains("{") && !path.startsWith("/v2/requests")) {
                models.add(path.substring(4));
            }
        });
        return models;
    }

    /** The request body schema of a model the spec describes. */
    public Optional<JsonNode> requestSchema(String model) {
        JsonNode op = root.path("paths").path("/v2/" + model).path("post");
        JsonNode schema = op.path("requestBody").path("content").path("application/json").path("schema");
        return schema.isMissingNode() ? Optional.empty() : Optional.of(resolve(schema));
    }

    /**
     * One property of a model's request body: its wire name, its schema with any {@code $ref}
     * followed (under the same depth guard validation uses), and whether the body requires it.
     */
    public record Parameter(String name, JsonNode schema, boolean required) {
    }

    /**
     * The parameters of a model the spec describes, in the spec's order, each as validation sees
     * it; empty for a model the spec does not describe. The CLI makes its options from these, so
     * options and checks read the spec through one walk.
     */
    public List<Parameter> parameters(String model) {
        Optional<JsonNode> schema = requestSchema(model);
        if (schema.isEmpty()) {
            return List.of();
        }
        Set<String> required = new TreeSet<>();
        schema.get().path("required").forEach(r -> required.add(r.asText()));
        List<Parameter> out = new ArrayList<>();
        for (Map.Entry<String, JsonNode> prop : schema.get().path("properties").properties()) {
            out.add(new Parameter(prop.getKey(), resolve(prop.getValue()), required.contains(prop.getKey())));
        }
        return List.copyOf(out);
    }

    /** How long the model usually runs, as the spec records it. */
    public Optional<Duration> typicalDuration(String model) {
        JsonNode seconds = root.path("paths").path("/v2/" + model).path("post").path(TYPICAL_DURATION);
        return seconds.isNumber() ? Optional.of(Duration.ofMillis((long) (seconds.asDouble() * 1000))) : Optional.empty();
    }

    /**
     * An operation of the spec by its {@code operationId}: method, path template, the media types
     * of its 2xx answer and whether it may bill ({@code x-segmind-billed}).
     *
     * @throws IllegalStateException if the spec has no such operation
     */
    public Operation operation(String operationId) {
        for (Map.Entry<String, JsonNode> path : root.path("paths").properties()) {
            for (Map.Entry<String, JsonNode> method : path.getValue().properties()) {
                JsonNode op = method.getValue();
                if (operationId.equals(op.path("operationId").asText(null))) {
                    List<String> types = new ArrayList<>();
                    resolve(op.path("responses").path("200")).path("content").fieldNames().forEachRemaining(types::add);
                    return new Operation(method.getKey().toUpperCase(java.util.Locale.ROOT), path.getKey(), types,
                            op.path("x-segmind-billed").asBoolean(false));
                }
            }
        }
        throw new IllegalStateException("the spec has no operation " + operationId);
    }

    /** One operation of the spec: what a client needs to send it. */
    public record Operation(String method, String pathTemplate, List<String> answerTypes, boolean billed) {
    }

    /** A named component schema, for tests and the fake server. */
    public Optional<JsonNode> schema(String name) {
        JsonNode s = root.path("components").path("schemas").path(name);
        return s.isMissingNode() ? Optional.empty() : Optional.of(s);
    }

    /**
     * Checks a model's parameters.
     *
     * @throws ValidationException naming every violated field, if any
     */
    public void check(String model, JsonNode params) {
        List<Violation> violations = validate(model, params);
        if (!violations.isEmpty()) {
            throw new ValidationException(model, violations);
        }
    }

    /** Every violation of the model's request schema, in the spec's field order; empty when valid or not described. */
    public List<Violation> validate(String model, JsonNode params) {
        List<Violation> out = new ArrayList<>();
        Optional<JsonNode> schema = requestSchema(model);
        if (schema.isEmpty()) {
            return out;
        }
        if (params == null || !params.isObject()) {
            out.add(new Violation("(body)", "must be a JSON object of parameters"));
            return out;
        }
        for (Parameter p : parameters(model)) {
            JsonNode value = params.get(p.name());
            if (value == null || value.isNull()) {
                if (p.required()) {
                    out.add(new Violation(p.name(), "is required"));
                }
                continue;
            }
            String problem = problem(p.schema(), value);
            if (problem != null) {
                out.add(new Violation(p.name(), problem));
            }
        }
        return out;
    }

    private String problem(JsonNode schema, JsonNode value) {
        String type = schema.path("type").asText("");
        if (isNonFinite(value)) {
            // NaN and the infinities have no JSON form and no decimal value: refuse them by name.
            return (type.equals("integer") ? "must be an integer, got " : "must be a finite number, got ") + value.asText();
        }
        switch (type) {
            case "string":
                if (!value.isTextual()) {
                    return "must be a string, got " + describe(value);
                }
                break;
            case "integer":
                if (!value.isNumber() || !isIntegral(value)) {
                    return "must be an integer, got " + describe(value);
                }
                break;
            case "number":
                if (!value.isNumber()) {
                    return "must be a number, got " + describe(value);
                }
                break;
            case "boolean":
                if (!value.isBoolean()) {
                    return "must be true or false, got " + describe(value);
                }
                break;
            default:
                break;
        }
        JsonNode allowed = schema.get("enum");
        if (allowed != null && allowed.isArray()) {
            for (JsonNode a : allowed) {
                if (a.equals(value)) {
                    return null;
                }
            }
            List<String> names = new ArrayList<>();
            allowed.forEach(a -> names.add(a.asText()));
            return "must be one of " + String.join(", ", names) + ", got " + describe(value);
        }
        if (value.isNumber()) {
            String range = rangeProblem(schema, value.decimalValue());
            return range != null ? range : formatProblem(schema, value.decimalValue());
        }
        if (value.isTextual()) {
            int length = value.asText().length();
            JsonNode min = schema.get("minLength");
            JsonNode max = schema.get("maxLength");
            if (min != null && length < min.asInt()) {
                return min.asInt() == 1 ? "must not be empty" : "must be at least " + min.asInt() + " characters, got " + length;
            }
            if (max != null && length > max.asInt()) {
                return "must be at most " + max.asInt() + " characters, got " + length;
            }
        }
        return null;
    }

    private static String rangeProblem(JsonNode schema, BigDecimal v) {
        JsonNode min = schema.get("minimum");
        JsonNode max = schema.get("maximum");
        boolean exclusiveMin = schema.path("exclusiveMinimum").asBoolean(false);
        boolean exclusiveMax = schema.path("exclusiveMaximum").asBoolean(false);
        boolean tooLow = min != null && (exclusiveMin ? v.compareTo(min.decimalValue()) <= 0 : v.compareTo(min.decimalValue()) < 0);
        boolean tooHigh = max != null && (exclusiveMax ? v.compareTo(max.decimalValue()) >= 0 : v.compareTo(max.decimalValue()) > 0);
        if (!tooLow && !tooHigh) {
            return null;
        }
        String got = ", got " + plain(v);
        if (min != null && max != null && !exclusiveMin && !exclusiveMax) {
            return "must be between " + plain(min.decimalValue()) + " and " + plain(max.decimalValue()) + got;
        }
        if (tooLow) {
            return "must be " + (exclusiveMin ? "> " : ">= ") + plain(min.decimalValue()) + got;
        }
        return "must be " + (exclusiveMax ? "< " : "<= ") + plain(max.decimalValue()) + got;
    }

    /** An integer of {@code format: int32} or {@code int64} must fit, or the service (and our models) cannot read it. */
    private static String formatProblem(JsonNode schema, BigDecimal v) {
        String format = schema.path("format").asText("");
        BigDecimal min;
        BigDecimal max;
        if (format.equals("int32")) {
            min = BigDecimal.valueOf(Integer.MIN_VALUE);
            max = BigDecimal.valueOf(Integer.MAX_VALUE);
        } else if (format.equals("int64")) {
            min = BigDecimal.valueOf(Long.MIN_VALUE);
            max = BigDecimal.valueOf(Long.MAX_VALUE);
        } else {
            return null;
        }
        if (v.compareTo(min) < 0 || v.compareTo(max) > 0) {
            return "must be a " + format.substring(3) + "-bit integer, between " + plain(min) + " and " + plain(max) + ", got " + plain(v);
        }
        return null;
    }

    private static boolean isNonFinite(JsonNode value) {
        return (value.isDouble() || value.isFloat()) && !Double.isFinite(value.doubleValue());
    }

    private JsonNode resolve(JsonNode schema) {
        JsonNode s = schema;
        for (int depth = 0; depth < 16 && s.has("$ref"); depth++) {
            String ref = s.get("$ref").asText();
            if (!ref.startsWith("#/")) {
                throw new IllegalStateException("only local $ref is supported in the spec, got " + ref);
            }
            s = root.at(ref.substring(1));
        }
        return s;
    }

    private static boolean isIntegral(JsonNode value) {
        if (value.isIntegralNumber()) {
            return true;
        }
        BigDecimal d = value.decimalValue();
        return d.signum() == 0 || d.scale() <= 0 || d.stripTrailingZeros().scale() <= 0;
    }

    /**
     * A number for a message, short whatever it is: the plain form of 1E+999999999 is a billion
     * digits (found by ValidationFuzzTest), so far exponents keep the scientific form, and the
     * text is cut at 40 characters like any other value. Public for text made from the spec's own
     * numbers (the CLI's help), which must not be longer.
     */
    public static String plain(BigDecimal d) {
        BigDecimal n;
        try {
            n = d.stripTrailingZeros();
        } catch (ArithmeticException scaleOverflow) {
            n = d;
        }
        String text = Math.abs((long) n.scale()) > 40 ? n.toString() : n.toPlainString();
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }

    private static String describe(JsonNode value) {
        if (value.isTextual()) {
            String t = value.asText();
            return '"' + (t.length() > 40 ? t.substring(0, 40) + "..." : t) + '"';
        }
        if (value.isNumber()) {
            return plain(value.decimalValue());
        }
        String s = value.toString();
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
