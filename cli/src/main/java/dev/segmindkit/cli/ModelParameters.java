package dev.segmindkit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.segmindkit.core.internal.Spec;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Model.ArgGroupSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * A model's parameters as command-line options, made at run time from the request schema the spec
 * declares for it: one option per property ({@code number_of_images} becomes {@code
 * --number-of-images}), typed as the spec types it, with the spec's description, allowed values,
 * range and default in its help. Nothing here names a parameter, so a field added to {@code
 * segmind.yaml} is an option after the next build.
 *
 * <p>The properties come from core's {@link Spec#parameters} (its {@code $ref}s followed under the
 * guard validation uses), so the options and the checks read the spec through one walk.
 *
 * <p>Image parameters are the string properties named {@code *_image} (the spec models images as
 * plain strings: a URL, a data URI or raw base64); the command turns local files into data URIs or
 * uploads for them.
 */
final class ModelParameters {
    /** One parameter: its wire name, its option, and what the spec says of it. */
    static final class Param {
        final String name;
        final OptionSpec option;
        final JsonNode schema;
        final boolean image;
        final boolean required;

        Param(String name, OptionSpec option, JsonNode schema, boolean image, boolean required) {
            this.name = name;
            this.option = option;
            this.schema = schema;
            this.image = image;
            this.required = required;
        }
    }

    private final String model;
    private final List<Param> params;

    private ModelParameters(String model, List<Param> params) {
        this.model = model;
        this.params = params;
    }

    /**
     * The options of a model the spec describes.
     *
     * @throws IllegalStateException if the spec has no request schema for it
     */
    static ModelParameters forModel(String model) {
        List<Spec.Parameter> described = Spec.get().parameters(model);
        if (described.isEmpty()) {
            throw new IllegalStateException("the spec describes no request body for " + model);
        }
        List<Param> params = new ArrayList<>();
        int order = 1;
        for (Spec.Parameter property : described) {
            String name = property.name();
            JsonNode p = property.schema();
            boolean required = property.required();
            boolean image = isImage(name, p);
            OptionSpec.Builder option = OptionSpec.builder(optionName(name))
                    .description(describe(p, required, image))
                    .paramLabel(label(p, image))
                    .order(order++);
            switch (p.path("type").asText("string")) {
                case "integer":
                    option.type(Long.class);
                    break;
                case "number":
                    // BigDecimal keeps what was typed (0.65 stays 0.65 on the wire).
                    option.type(BigDecimal.class);
                    break;
                case "boolean":
                    option.type(Boolean.class).arity("0..1").fallbackValue("true");
                    break;
                default:
                    option.type(String.class);
                    break;
            }
            List<String> allowed = enumValues(p);
            if (!allowed.isEmpty()) {
                option.completionCandidates(allowed);
            }
            params.add(new Param(name, option.build(), p, image, required));
        }
        return new ModelParameters(model, List.copyOf(params));
    }

    /** Adds the options to a command, under their own heading. */
    void addTo(CommandSpec command) {
        ArgGroupSpec.Builder group = ArgGroupSpec.builder()
                .heading("%nParameters of " + model + " (from the API spec; only those given are sent):%n")
                .exclusive(false)
                .multiplicity("0..1")
                .validate(false)
                .order(0);
        params.forEach(p -> group.addArg(p.option));
        command.addArgGroup(group.build());
    }

    /** A short synopsis: the required parameters, then placeholders for the rest. */
    String synopsis(String command) {
        StringBuilder s = new StringBuilder(command);
        for (Param p : params) {
            if (p.required) {
                s.append(' ').append(p.option.longestName()).append('=').append(p.option.paramLabel());
            }
        }
        return s.append(" [PARAMETER...] [OPTION...]").toString();
    }

    List<Param> params() {
        return params;
    }

    Optional<Param> param(String name) {
        return params.stream().filter(p -> p.name.equals(name)).findFirst();
    }

    /** The parameters given on the command line, by wire name, in the spec's order. */
    Map<String, Object> given() {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Param p : params) {
            Object value = p.option.getValue();
            if (value != null) {
                values.put(p.name, value);
            }
        }
        return values;
    }

    /** The option a wire name is set with; unknown names stay as they are. */
    String optionFor(String name) {
        return param(name).map(p -> p.option.longestName()).orElse(name);
    }

    static String optionName(String wireName) {
        return "--" + wireName.replace('_', '-');
    }

    static List<String> enumValues(JsonNode schema) {
        List<String> values = new ArrayList<>();
        schema.path("enum").forEach(v -> values.add(v.asText()));
        return values;
    }

    private static boolean isImage(String name, JsonNode schema) {
        return name.endsWith("_image") && "string".equals(schema.path("type").asText());
    }

    private static String label(JsonNode schema, boolean image) {
        if (image) {
            return "<file|url>";
        }
        if (schema.has("enum")) {
            return "<" + String.join("|", enumValues(schema)) + ">";
        }
        switch (schema.path("type").asText("string")) {
            case "integer":
                return "<int>";
            case "number":
                return "<number>";
            case "boolean":
                return "<true|false>";
            default:
                return "<text>";
        }
    }

    /** The spec's description and constraints, as one help paragraph. */
    static String describe(JsonNode schema, boolean required, boolean image) {
        StringBuilder s = new StringBuilder(schema.path("description").asText("").strip().replaceAll("\\s+", " "));
        if (image) {
            // The spec says what the service takes; on the command line a local file works too.
            int at = s.indexOf("A URL, a data URI or raw base64.");
            if (at >= 0) {
                s.setLength(at);
            }
            sentence(s, "A local image file (sent inline, or uploaded with --upload), an http(s) URL or a data: URI.");
        }
        if (required) {
            sentence(s, "Required.");
        }
        List<String> allowed = enumValues(schema);
        if (!allowed.isEmpty()) {
            sentence(s, "One of: " + String.join(", ", allowed) + ".");
        }
        String range = range(schema);
        if (range != null) {
            sentence(s, range);
        }
        JsonNode def = schema.get("default");
        if (def != null && !def.isNull()) {
            String shown = def.isTextual() ? (def.asText().isEmpty() ? "\"\" (empty)" : def.asText())
                    : def.isNumber() ? Spec.plain(def.decimalValue()) : def.toString();
            sentence(s, "Default: " + shown + ".");
        }
        // picocli formats descriptions (%n) and interpolates ${...}: keep the spec's text literal.
        return s.toString().replace("%", "%%").replace("${", "$${");
    }

    private static String range(JsonNode schema) {
        JsonNode min = schema.get("minimum");
        JsonNode max = schema.get("maximum");
        boolean exclusiveMin = schema.path("exclusiveMinimum").asBoolean(false);
        boolean exclusiveMax = schema.path("exclusiveMaximum").asBoolean(false);
        if (min != null && max != null && !exclusiveMin && !exclusiveMax) {
            return "Range: " + Spec.plain(min.decimalValue()) + " to " + Spec.plain(max.decimalValue()) + ".";
        }
        List<String> bounds = new ArrayList<>();
        if (min != null) {
            bounds.add((exclusiveMin ? "> " : ">= ") + Spec.plain(min.decimalValue()));
        }
        if (max != null) {
            bounds.add((exclusiveMax ? "< " : "<= ") + Spec.plain(max.decimalValue()));
        }
        JsonNode minLength = schema.get("minLength");
        JsonNode maxLength = schema.get("maxLength");
        if (minLength != null && minLength.asInt() > 1) {
            bounds.add("at least " + minLength.asInt() + " characters");
        }
        if (maxLength != null) {
            bounds.add("at most " + maxLength.asInt() + " characters");
        }
        return bounds.isEmpty() ? null : "Must be " + String.join(" and ", bounds) + ".";
    }

    private static void sentence(StringBuilder s, String text) {
        if (s.length() > 0 && s.charAt(s.length() - 1) != ' ') {
            s.append(' ');
        }
        s.append(text);
    }

    @Override
    public String toString() {
        return "ModelParameters{" + model + ", " + params.size() + " parameters}";
    }
}
