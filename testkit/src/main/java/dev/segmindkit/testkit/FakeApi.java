package dev.segmindkit.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segmindkit.core.TimeSource;
import dev.segmindkit.core.ValidationException.Violation;
import dev.segmindkit.core.internal.JsonTree;
import dev.segmindkit.core.internal.Spec;
import dev.segmindkit.testkit.internal.Directive;
import dev.segmindkit.testkit.internal.FormData;
import dev.segmindkit.testkit.internal.HttpEngine;
import dev.segmindkit.testkit.internal.HttpRequest;
import dev.segmindkit.testkit.internal.HttpResponse;
import dev.segmindkit.testkit.internal.Ids;
import dev.segmindkit.testkit.internal.Images;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

/**
 * The API itself: routing, auth, tenants' faults and rate limits, and every endpoint, answering
 * with the real service's codes and bodies. One instance per server; it keeps no state of its own.
 */
final class FakeApi implements HttpEngine.Handler {
    static final String MISSING_KEY = "Missing Authorization or x-api-key in header";
    static final String INVALID_KEY = "Unauthorized. API key is invalid or may have expired";
    static final String NO_CREDITS = "Insufficient credits. Please add credits to your account";
    static final String NOT_JSON_TYPE = "Content-Type must be application/json";
    static final String NOT_JSON_OR_FORM_TYPE = "Content-Type must be application/json or multipart/form-data";
    /** How soon a job fails when the gateway rejects a parameter only as the model starts. */
    static final Duration RUN_TIME_REJECTION = Duration.ofMillis(10);
    static final String TOO_MANY = "Too many requests";
    static final String METHOD_NOT_ALLOWED_HTML = "<html>\r\n<head><title>405 Not Allowed</title></head>\r\n<body>\r\n"
            + "<center><h1>405 Not Allowed</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";
    /** A body that is no JSON at all, for {@link Fault#malformedJson()}. */
    static final String MALFORMED = "{\"status\": \"COMPLETED\",, \"output\": <html>upstream hiccup</html>";

    private final FakeSegmindServer server;
    /** Null unless the control API is on, so a server without it never loads its classes. */
    private final ControlApi control;

    FakeApi(FakeSegmindServer server) {
        this.server = server;
        this.control = server.controlApi ? new ControlApi(server) : null;
    }

    /** Everything about one request that goes into the journal. */
    private static final class Outcome {
        final HttpResponse response;
        String requestId;
        String model;
        String jobStatus;
        boolean paid;
        Instant comeBackAt;

        Outcome(HttpResponse response) {
            this.response = response;
        }

        Outcome job(String id, String state) {
            this.requestId = id;
            this.jobStatus = state;
            return this;
        }
    }

    private interface Endpoint {
        Outcome handle(Tenant tenant, HttpRequest request, Instant now);
    }

    @Override
    public HttpResponse handle(HttpRequest request) {
        String path = request.path();
        String method = request.method();
        boolean get = method.equals("GET") || method.equals("HEAD");
        boolean post = method.equals("POST");
        if (path.equals(FakeSegmindServer.CONTROL_PREFIX) || path.startsWith(FakeSegmindServer.CONTROL_PREFIX + "/")) {
            return server.controlApi ? control.handle(request) : error(404, "Not found");
        }
        if (path.equals("/v1/get-user-credits")) {
            return get ? api(request, Phase.CREDITS, null, this::credits) : methodNotAllowed();
        }
        if (path.startsWith("/v1/requests/")) {
            // The older poll endpoint the submit answer's poll_url names, kept for backward
            // compatibility: it answers as the v2 status does.
            String id = path.substring("/v1/requests/".length());
            if (id.isEmpty() || id.contains("/")) {
                return error(404, "Not found");
            }
            return get ? api(request, Phase.STATUS, id, (t, r, now) -> status(t, id, now, r)) : methodNotAllowed();
        }
        if (path.startsWith("/v2/requests/")) {
            String rest = path.substring("/v2/requests/".length());
            boolean status = rest.endsWith("/status");
            String id = status ? rest.substring(0, rest.length() - "/status".length()) : rest;
            if (id.isEmpty() || id.contains("/")) {
                return error(404, "Not found");
            }
            if (!get) {
                return methodNotAllowed();
            }
            return status ? api(request, Phase.STATUS, id, (t, r, now) -> status(t, id, now, r))
                    : api(request, Phase.RESULT, id, (t, r, now) -> result(t, id, now, r));
        }
        if (path.startsWith("/v2/") || path.startsWith("/v1/")) {
            String model = path.substring(4);
            if (model.isEmpty() || model.contains("/")) {
                return error(404, "Not found");
            }
            if (!post) {
                return methodNotAllowed();
            }
            boolean v1 = path.startsWith("/v1/");
            return api(request, v1 ? Phase.V1 : Phase.SUBMIT, model, (t, r, now) -> run(t, r, model, now, v1));
        }
        if (path.equals("/upload-asset")) {
            return post ? api(request, Phase.UPLOAD, null, this::upload) : methodNotAllowed();
        }
        if (path.startsWith("/media/") || path.startsWith("/assets/")) {
            return get ? media(request) : methodNotAllowed();
        }
        return error(404, "Not found");
    }

    /** Auth, auto-advance, faults and the rate limit around an authenticated endpoint, then the journal. */
    private HttpResponse api(HttpRequest request, Phase phase, String subject, Endpoint endpoint) {
        String key = request.header("x-api-key");
        if (key == null || key.isBlank()) {
            return error(401, request.header("authorization") == null ? MISSING_KEY : INVALID_KEY);
        }
        Tenant tenant = server.tenantOf(key.strip());
        if (tenant == null) {
            return error(401, INVALID_KEY);
        }
        if (phase == Phase.STATUS) {
            Duration step = tenant.autoAdvanceStep();
            if (!step.isZero() && tenant.clock() instanceof ManualClock) {
                ((ManualClock) tenant.clock()).advance(step);
            }
        }
        Instant now = tenant.clock().now();
        tenant.settle(now);
        String subjectId = phase == Phase.STATUS || phase == Phase.RESULT ? subject : null;
        String subjectModel = phase == Phase.SUBMIT || phase == Phase.V1 ? subject : null;
        Fault fault = tenant.takeFault(phase);
        if (fault != null && !fault.handlesRequest()) {
            Outcome struck = fault.kind() == Fault.Kind.DISCONNECT ? new Outcome(HttpResponse.reset()) : faultAnswer(fault, phase, subjectId, subjectModel, now);
            struck.requestId = subjectId;
            struck.model = subjectModel;
            return record(tenant, request, phase, now, struck, fault);
        }
        Instant nextToken = tenant.takeToken(now);
        if (nextToken != null) {
            Instant resetAt = ceilSecond(nextToken);
            Outcome limited = new Outcome(error(429, TOO_MANY).header("x-rate-limit-reset-at-utc", resetAt.toString()));
            limited.comeBackAt = resetAt;
            limited.requestId = subjectId;
            limited.model = subjectModel;
            return record(tenant, request, phase, now, limited, null);
        }
        if (fault != null && fault.kind() == Fault.Kind.DELAY) {
            pass(tenant.clock(), fault.delayDuration());
        } else if (fault != null && fault.kind() == Fault.Kind.REAL_DELAY) {
            pass(TimeSource.system(), fault.delayDuration());
        }
        Outcome outcome = endpoint.handle(tenant, request, now);
        if (outcome.model == null) {
            outcome.model = subjectModel;
        }
        if (outcome.requestId == null) {
            outcome.requestId = subjectId;
        }
        return record(tenant, request, phase, now, spoil(outcome, fault), fault);
    }

    private static HttpResponse record(Tenant tenant, HttpRequest request, Phase phase, Instant at, Outcome outcome, Fault fault) {
        HttpResponse response = outcome.response;
        boolean intact = response.delivery() == HttpResponse.Delivery.COMPLETE
                && (fault == null || fault.kind() == Fault.Kind.DELAY || fault.kind() == Fault.Kind.REAL_DELAY);
        tenant.journal().add(new Journal.Entry(at, phase, request.method(), request.path(), Optional.ofNullable(outcome.requestId),
                Optional.ofNullable(outcome.model), response.delivery() == HttpResponse.Delivery.RESET ? 0 : response.status(),
                intact ? Optional.ofNullable(outcome.jobStatus) : Optional.empty(), Optional.ofNullable(fault).map(Fault::toString),
                outcome.paid, Optional.ofNullable(outcome.comeBackAt)));
        return response;
    }

    /** Applies the faults that let the request take effect and then spoil its answer. */
    private static Outcome spoil(Outcome outcome, Fault fault) {
        if (fault == null) {
            return outcome;
        }
        HttpResponse r = outcome.response;
        HttpResponse spoiled;
        switch (fault.kind()) {
            case DISCONNECT_AFTER:
                spoiled = HttpResponse.reset();
                break;
            case TRUNCATED_BODY:
                spoiled = r.delivered(HttpResponse.Delivery.TRUNCATED);
                break;
            case MALFORMED_JSON:
                spoiled = HttpResponse.json(200, MALFORMED);
                break;
            case TRUNCATED_JSON:
                spoiled = r.withBody(r.status(), java.util.Arrays.copyOf(r.body(), r.body().length / 2));
                break;
            default:
                return outcome;
        }
        Outcome o = new Outcome(spoiled);
        o.requestId = outcome.requestId;
        o.model = outcome.model;
        o.jobStatus = outcome.jobStatus;
        o.paid = outcome.paid;
        o.comeBackAt = outcome.comeBackAt;
        return o;
    }

    /** The answer of a status fault: the real body for that status in that phase. */
    private static Outcome faultAnswer(Fault fault, Phase phase, String requestId, String model, Instant now) {
        int status = fault.httpStatus();
        HttpResponse response;
        if (status == 405) {
            response = methodNotAllowed();
        } else {
            response = error(status, fault.message() != null ? fault.message() : realMessage(status, phase, requestId, model));
        }
        Instant comeBackAt = null;
        if (fault.resetIn() != null) {
            Instant resetAt = ceilSecond(now.plus(fault.resetIn()));
            response = response.header("x-rate-limit-reset-at-utc", resetAt.toString());
            comeBackAt = resetAt;
        }
        if (fault.retryAfter() != null) {
            long seconds = (fault.retryAfter().toMillis() + 999) / 1000;
            response = response.header("Retry-After", String.valueOf(seconds));
            Instant after = now.plusSeconds(seconds);
            if (status == 429 && (comeBackAt == null || after.isAfter(comeBackAt))) {
                comeBackAt = after;
            }
        }
        Outcome o = new Outcome(response);
        o.comeBackAt = status == 429 ? comeBackAt : null;
        return o;
    }

    static String realMessage(int status, Phase phase, String requestId, String model) {
        switch (status) {
            case 400: return "Bad request";
            case 401: return INVALID_KEY;
            case 403: return model != null ? forbiddenMessage(model) : "Forbidden";
            case 404:
                if (requestId != null) {
                    return notFoundMessage(requestId);
                }
                return model != null ? unknownModelMessage(model) : "Not found";
            case 406: return NO_CREDITS;
            case 410: return model != null ? retiredMessage(model) : "Gone";
            case 422: return "Unprocessable entity";
            case 429: return TOO_MANY;
            case 500: return "Internal server error";
            case 502: return "Bad gateway";
            case 503: return "Service temporarily unavailable";
            case 504: return "Gateway timeout";
            default: return "HTTP " + status;
        }
    }

    static String notFoundMessage(String requestId) {
        return "Request " + requestId + " not found";
    }

    static String unknownModelMessage(String model) {
        return "Model " + model + " not found";
    }

    static String forbiddenMessage(String model) {
        return "Model " + model + " is not allowed for this account";
    }

    static String retiredMessage(String model) {
        return "Model " + model + " has been retired";
    }

    // ---- endpoints ----

    private Outcome credits(Tenant tenant, HttpRequest request, Instant now) {
        BigDecimal[] balances = tenant.balances();
        ObjectNode body = JsonTree.object();
        body.put("credits", number(balances[0]));
        body.put("free-credits", number(balances[1]));
        return new Outcome(json(200, body));
    }

    private Outcome run(Tenant tenant, HttpRequest request, String model, Instant now, boolean v1) {
        if (!server.isKnownModel(model)) {
            return new Outcome(error(404, unknownModelMessage(model)));
        }
        if (tenant.isForbidden(model)) {
            return new Outcome(error(403, forbiddenMessage(model)));
        }
        if (tenant.isRetired(model)) {
            return new Outcome(error(410, retiredMessage(model)));
        }
        String type = request.header("content-type");
        boolean form = type != null && type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data");
        if (!form && !isJsonContentType(request)) {
            return new Outcome(error(406, NOT_JSON_OR_FORM_TYPE));
        }
        JsonNode params;
        if (form) {
            try {
                params = formParams(model, FormData.parse(type, request.body()));
            } catch (IllegalArgumentException e) {
                return new Outcome(error(400, e.getMessage()));
            }
        } else {
            try {
                params = request.body().length == 0 ? null : JsonTree.parse(request.body());
            } catch (IOException e) {
                return new Outcome(error(400, "Request body is not valid JSON"));
            }
        }
        if (params == null || !params.isObject()) {
            return new Outcome(error(400, "Request body must be a JSON object of parameters"));
        }
        JobScript steered;
        try {
            steered = steering(request, params);
        } catch (IllegalArgumentException e) {
            return new Outcome(error(400, e.getMessage()));
        }
        List<Violation> violations = Spec.get().validate(model, params);
        String invalid = violations.isEmpty() ? null : violations.stream().map(Violation::toString).collect(Collectors.joining("; "));
        if (invalid != null && !tenant.quirk()) {
            return new Outcome(error(400, invalid));
        }
        BigDecimal price = tenant.price(model);
        String refusal = tenant.refusal(price, now);
        if (refusal != null) {
            return new Outcome(error(406, refusal));
        }
        JobScript script;
        if (invalid != null) {
            // Rejected as the model starts: FAILED within milliseconds, never queued, not billed.
            script = JobScript.fails(invalid).queuedFor(Duration.ZERO).processingFor(RUN_TIME_REJECTION);
        } else if (steered != null) {
            script = steered;
        } else {
            JobScript next = tenant.nextScript(model);
            script = next != null ? next : JobScript.completes();
        }
        String id = Ids.random();
        JsonNode seedNode = params.get("seed");
        long seed = seedNode != null && seedNode.isIntegralNumber() ? seedNode.longValue() : ThreadLocalRandom.current().nextLong(1L << 31);
        Job.Plan plan = new Job.Plan(script.queued().orElse(tenant.defaultQueued(model)),
                script.processing().orElse(tenant.defaultProcessing(model)), script);
        Job job = new Job(id, model, tenant, now, params, seed, price, plan);
        if (v1 && invalid != null) {
            return new Outcome(error(500, invalid)).job(id, "FAILED");
        }
        tenant.hold(job);
        return v1 ? runSync(tenant, job) : submitted(tenant, request, job);
    }

    private Outcome submitted(Tenant tenant, HttpRequest request, Job job) {
        tenant.purge(job.submittedAt);
        tenant.jobs.put(job.id, job);
        server.index(job);
        String base = server.publicBase();
        ObjectNode body = JsonTree.object();
        body.put("request_id", job.id);
        body.put("status", "QUEUED");
        body.put("poll_url", base + "/v1/requests/" + job.id);
        body.put("status_url", base + "/v2/requests/" + job.id + "/status");
        body.put("response_url", base + "/v2/requests/" + job.id);
        Outcome o = new Outcome(json(200, body)).job(job.id, "QUEUED");
        // "Paid" in the journal means a submit that made a job the account pays for if it completes.
        o.paid = true;
        return o;
    }

    /** A v1 run: the whole job, waited for on the tenant's clock, answered as image bytes. */
    private Outcome runSync(Tenant tenant, Job job) {
        Job.Plan plan = job.plan();
        pass(tenant.clock(), plan.queued.plus(plan.processing));
        // A real clock may wake a hair early; the job is over when the run answers.
        tenant.settleNow(job);
        Outcome o;
        if (plan.fails()) {
            o = new Outcome(error(500, plan.script.error().orElseThrow())).job(job.id, "FAILED");
            o.model = job.model;
            return o;
        } else {
            byte[] image = job.image(0, server);
            String mime = Images.mimeType(image);
            HttpResponse r = HttpResponse.of(200, mime, image)
                    .header("x-cost", plain(job.price))
                    .header("x-remaining-credits", plain(job.remainingCredits()))
                    .header("x-request-id", job.id)
                    .header("x-generation-time", seconds(plan.processing))
                    .header("x-seed-value", String.valueOf(job.seed))
                    .header("x-rate-limit-reset-at-utc", ceilSecond(tenant.clock().now()).toString());
            o = new Outcome(r).job(job.id, "COMPLETED");
        }
        o.paid = true;
        o.model = job.model;
        return o;
    }

    private Outcome status(Tenant tenant, String id, Instant now, HttpRequest request) {
        Job job = tenant.jobs.get(id);
        if (job == null || job.expired(now)) {
            return new Outcome(error(404, notFoundMessage(id)));
        }
        String state = job.state(now);
        ObjectNode body = JsonTree.object();
        body.put("request_id", id);
        body.put("status", state);
        if (state.equals("FAILED")) {
            body.put("error", job.plan().script.error().orElseThrow());
        }
        body.set("metrics", metrics(job, state));
        if (state.equals("QUEUED") || state.equals("PROCESSING")) {
            String base = server.publicBase();
            body.put("status_url", base + "/v2/requests/" + id + "/status");
            body.put("response_url", base + "/v2/requests/" + id);
        }
        Outcome o = new Outcome(json(state.equals("FAILED") ? 422 : 200, body)).job(id, state);
        o.model = job.model;
        return o;
    }

    private Outcome result(Tenant tenant, String id, Instant now, HttpRequest request) {
        Job job = tenant.jobs.get(id);
        if (job == null || job.expired(now)) {
            return new Outcome(error(404, notFoundMessage(id)));
        }
        String state = job.state(now);
        ObjectNode body = JsonTree.object();
        body.put("request_id", id);
        body.put("status", state);
        if (state.equals("COMPLETED")) {
            List<String> outputs = job.outputs(server.publicBase());
            if (outputs.size() == 1) {
                body.put("output", outputs.get(0));
            } else {
                ArrayNode list = body.putArray("output");
                outputs.forEach(list::add);
            }
        }
        if (state.equals("FAILED")) {
            body.put("error", job.plan().script.error().orElseThrow());
        }
        body.set("metrics", metrics(job, state));
        Outcome o = new Outcome(json(state.equals("FAILED") ? 422 : 200, body)).job(id, state);
        o.model = job.model;
        return o;
    }

    private static ObjectNode metrics(Job job, String state) {
        ObjectNode m = JsonTree.object();
        Job.Plan plan = job.plan();
        switch (state) {
            case "QUEUED":
                break;
            case "PROCESSING":
                m.put("queue_time", secondsValue(plan.queued));
                break;
            default:
                m.put("inference_time", secondsValue(plan.processing));
                m.put("queue_time", secondsValue(plan.queued));
                m.put("total_time", secondsValue(plan.queued.plus(plan.processing)));
                // A FAILED job was not charged: its metrics hold timings only.
                BigDecimal remaining = job.remainingCredits();
                if (state.equals("COMPLETED") && remaining != null) {
                    m.put("cost", number(job.price));
                    m.put("remaining_credits", number(remaining));
                }
                break;
        }
        return m;
    }

    private Outcome upload(Tenant tenant, HttpRequest request, Instant now) {
        if (!isJsonContentType(request)) {
            return new Outcome(error(406, NOT_JSON_TYPE));
        }
        JsonNode body;
        try {
            body = request.body().length == 0 ? null : JsonTree.parse(request.body());
        } catch (IOException e) {
            return new Outcome(error(400, "Request body is not valid JSON"));
        }
        JsonNode dataUrls = body == null ? null : body.get("data_urls");
        if (dataUrls == null || !dataUrls.isArray() || dataUrls.isEmpty()) {
            return new Outcome(error(400, "data_urls is required: a non-empty list of data URIs"));
        }
        List<Tenant.Asset> stored = new ArrayList<>();
        for (int i = 0; i < dataUrls.size(); i++) {
            JsonNode item = dataUrls.get(i);
            byte[] bytes = item.isTextual() ? Images.fromDataUri(item.asText()) : null;
            if (bytes == null || bytes.length == 0) {
                return new Outcome(error(400, "data_urls[" + i + "] is not a base64 data URI"));
            }
            String declared = item.asText().substring(5, item.asText().indexOf(';') < 0 ? 5 : item.asText().indexOf(';'));
            String mime = Images.mimeType(bytes) != null ? Images.mimeType(bytes) : declared.isEmpty() ? "application/octet-stream" : declared;
            stored.add(new Tenant.Asset(Ids.random(), bytes, mime, tenant));
        }
        String base = server.publicBase();
        ObjectNode answer = JsonTree.object();
        ArrayNode urls = answer.putArray(tenant.uploadField());
        for (Tenant.Asset asset : stored) {
            tenant.assets.put(asset.id, asset);
            server.indexAsset(asset);
            urls.add(base + "/assets/" + asset.id + "." + Images.extension(asset.mime));
        }
        return new Outcome(json(200, answer));
    }

    /** Output media and uploaded assets: public (no key), faults and journal of the tenant that owns them. */
    private HttpResponse media(HttpRequest request) {
        String path = request.path();
        if (path.startsWith("/assets/")) {
            String name = path.substring("/assets/".length());
            int dot = name.indexOf('.');
            Tenant.Asset asset = server.asset(dot < 0 ? name : name.substring(0, dot));
            if (asset == null || asset.owner.revoked()) {
                return error(404, "Not found");
            }
            Tenant owner = asset.owner;
            return publicGet(owner, request, null, now -> new Outcome(HttpResponse.of(200, asset.mime, asset.bytes)));
        }
        String[] parts = path.substring("/media/".length()).split("/");
        Job job = parts.length == 2 ? server.jobById(parts[0]) : null;
        if (job == null || job.tenant.revoked()) {
            return error(404, "Not found");
        }
        return publicGet(job.tenant, request, job.id, now -> {
            if (!job.state(now).equals("COMPLETED") || !now.isBefore(job.finishedAt().plus(Job.MEDIA_RETENTION))) {
                return new Outcome(error(404, "Not found"));
            }
            int dot = parts[1].indexOf('.');
            int index;
            try {
                index = Integer.parseInt(dot < 0 ? parts[1] : parts[1].substring(0, dot));
            } catch (NumberFormatException e) {
                return new Outcome(error(404, "Not found"));
            }
            if (index < 0 || index >= job.imageCount()) {
                return new Outcome(error(404, "Not found"));
            }
            byte[] image = job.image(index, server);
            return new Outcome(HttpResponse.of(200, Images.mimeType(image), image));
        });
    }

    private interface PublicEndpoint {
        Outcome handle(Instant now);
    }

    private HttpResponse publicGet(Tenant owner, HttpRequest request, String requestId, PublicEndpoint endpoint) {
        Instant now = owner.clock().now();
        Fault fault = owner.takeFault(Phase.MEDIA);
        Outcome outcome;
        if (fault != null && !fault.handlesRequest()) {
            outcome = fault.kind() == Fault.Kind.DISCONNECT ? new Outcome(HttpResponse.reset()) : faultAnswer(fault, Phase.MEDIA, null, null, now);
        } else {
            if (fault != null && fault.kind() == Fault.Kind.DELAY) {
                pass(owner.clock(), fault.delayDuration());
            } else if (fault != null && fault.kind() == Fault.Kind.REAL_DELAY) {
                pass(TimeSource.system(), fault.delayDuration());
            }
            outcome = spoil(endpoint.handle(now), fault);
        }
        outcome.requestId = requestId;
        return record(owner, request, Phase.MEDIA, now, outcome, fault);
    }

    // ---- helpers ----

    /** A per-request script from the steering header or a prompt marker, or null. */
    private static JobScript steering(HttpRequest request, JsonNode params) {
        String text = request.header(Directive.HEADER);
        if (text == null) {
            JsonNode prompt = params.get("prompt");
            text = prompt != null && prompt.isTextual() ? Directive.markerIn(prompt.asText()) : null;
        }
        if (text == null) {
            return null;
        }
        Directive d = Directive.parse(text);
        JobScript script = d.failure() != null ? JobScript.fails(d.failure()) : JobScript.completes();
        if (d.queued() != null) {
            script = script.queuedFor(d.queued());
        }
        if (d.processing() != null) {
            script = script.processingFor(d.processing());
        }
        return script;
    }

    /** Lets time pass on a clock: a real wait on the system clock, a jump on a ManualClock. */
    static void pass(TimeSource clock, Duration duration) {
        if (duration.isZero() || duration.isNegative()) {
            return;
        }
        try {
            clock.sleep(duration);
        } catch (InterruptedException e) {
            // the server is closing: answer (or fail to) at once
            Thread.currentThread().interrupt();
        }
    }

    /** The gateway refuses a POST without a Content-Type (406), as it does a wrong one. */
    private static boolean isJsonContentType(HttpRequest request) {
        String type = request.header("content-type");
        return type != null && type.toLowerCase(Locale.ROOT).contains("json");
    }

    /**
     * A form's fields as the JSON parameters they stand for: each text value is read as the type
     * the spec gives the parameter (a form carries only text), so {@code width=1024} is the integer
     * 1024. Parameters the spec does not type stay strings.
     */
    private static JsonNode formParams(String model, java.util.Map<String, String> fields) {
        ObjectNode params = JsonTree.object();
        JsonNode properties = Spec.get().requestSchema(model).map(s -> s.path("properties")).orElse(null);
        for (java.util.Map.Entry<String, String> field : fields.entrySet()) {
            String name = field.getKey();
            String value = field.getValue();
            String type = properties == null ? "" : typeOf(properties.path(name));
            try {
                switch (type) {
                    case "integer":
                        params.put(name, new java.math.BigInteger(value.strip()));
                        continue;
                    case "number":
                        params.put(name, new BigDecimal(value.strip()));
                        continue;
                    case "boolean":
                        if (value.strip().equalsIgnoreCase("true") || value.strip().equalsIgnoreCase("false")) {
                            params.put(name, Boolean.parseBoolean(value.strip()));
                            continue;
                        }
                        break;
                    default:
                        break;
                }
            } catch (NumberFormatException e) {
                // left as text: validation names it as the wrong type
            }
            params.put(name, value);
        }
        return params;
    }

    private static String typeOf(JsonNode property) {
        JsonNode p = property;
        if (p.has("$ref")) {
            String ref = p.get("$ref").asText();
            p = Spec.get().schema(ref.substring(ref.lastIndexOf('/') + 1)).orElse(p);
        }
        return p.path("type").asText("");
    }

    static HttpResponse error(int status, String message) {
        ObjectNode body = JsonTree.object();
        body.put("error", message);
        return json(status, body);
    }

    static HttpResponse methodNotAllowed() {
        return HttpResponse.of(405, "text/html", METHOD_NOT_ALLOWED_HTML.getBytes(StandardCharsets.UTF_8));
    }

    static HttpResponse json(int status, JsonNode body) {
        return HttpResponse.json(status, JsonTree.write(body));
    }

    private static Instant ceilSecond(Instant t) {
        Instant floor = t.truncatedTo(ChronoUnit.SECONDS);
        return floor.equals(t) ? t : floor.plusSeconds(1);
    }

    private static String plain(BigDecimal d) {
        return number(d).toPlainString();
    }

    /** An amount as JSON shows it best: {@code 100}, {@code 99.98}, never {@code 1E+2}. */
    static BigDecimal number(BigDecimal d) {
        BigDecimal s = d.stripTrailingZeros();
        return s.scale() < 0 ? s.setScale(0) : s;
    }

    private static double secondsValue(Duration d) {
        return d.toMillis() / 1000.0;
    }

    private static String seconds(Duration d) {
        return String.valueOf(secondsValue(d));
    }
}
