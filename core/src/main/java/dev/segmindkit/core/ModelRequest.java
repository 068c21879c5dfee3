package dev.segmindkit.core;

import dev.segmindkit.core.internal.Json;
import dev.segmindkit.core.internal.Spec;
import dev.segmindkit.model.MaterialTransferRequest;
import dev.segmindkit.model.StyleTransferRequest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A model and its parameters: what both clients submit (v2) or run synchronously (v1). Made from
 * the typed requests of the two models the spec describes, or from a model name and a map of
 * parameters for any other model.
 *
 * <p>{@link #validate()} checks the parameters against the constraints the spec declares for the
 * model (for models the spec does not describe, nothing is checked); clients call it before
 * anything is sent.
 */
public final class ModelRequest {
    private static final Pattern MODEL_NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9._-]{0,127}");

    private final String model;
    private final Object params;

    private ModelRequest(String model, Object params) {
        this.model = model;
        this.params = params;
    }

    /** A {@code style-transfer} job. */
    public static ModelRequest styleTransfer(StyleTransferRequest request) {
        return new ModelRequest("style-transfer", Objects.requireNonNull(request, "request"));
    }

    /** A {@code material-transfer} job. */
    public static ModelRequest materialTransfer(MaterialTransferRequest request) {
        return new ModelRequest("material-transfer", Objects.requireNonNull(request, "request"));
    }

    /**
     * A job for any model, its parameters as a flat map (values: strings, numbers, booleans,
     * lists or maps, as JSON takes them). The map is copied.
     *
     * @throws IllegalArgumentException if the model name is not a plain slug such as {@code
     *     flux-schnell}, or a parameter name is null
     */
    public static ModelRequest of(String model, Map<String, ?> params) {
        Objects.requireNonNull(params, "params");
        if (model == null || !MODEL_NAME.matcher(model).matches()) {
            throw new IllegalArgumentException("a model name is a slug of letters, digits, '.', '_' and '-' such as \"style-transfer\", got "
                    + (model == null ? "null" : '"' + model + '"'));
        }
        Map<String, Object> copy = new LinkedHashMap<>();
        params.forEach((k, v) -> copy.put(Objects.requireNonNull(k, "a parameter name is null"), v));
        return new ModelRequest(model, java.util.Collections.unmodifiableMap(copy));
    }

    /** The model's slug, as in {@code /v2/<model>}. */
    public String model() {
        return model;
    }

    /** The parameters as given: a generated request model, or an unmodifiable map. */
    public Object params() {
        return params;
    }

    /**
     * Checks the parameters against the spec.
     *
     * @throws ValidationException naming every violated field
     */
    public void validate() {
        Spec.get().check(model, Json.tree(params));
    }

    /** How long the model usually runs, where the spec records it; polling uses it to stay quiet. */
    public Optional<Duration> typicalDuration() {
        return Spec.get().typicalDuration(model);
    }

    @Override
    public String toString() {
        return "ModelRequest{" + model + '}';
    }
}
