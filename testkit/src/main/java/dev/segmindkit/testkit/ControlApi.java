package dev.segmindkit.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segmindkit.core.TimeSource;
import dev.segmindkit.core.internal.Json;
import dev.segmindkit.testkit.internal.Directive;
import dev.segmindkit.testkit.internal.HttpRequest;
import dev.segmindkit.testkit.internal.HttpResponse;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Locale;

/**
 * The JSON control API under {@code /__fake}, for clients that cannot call the Java API (the
 * standalone server turns it on). It maps one to one onto {@link FakeSegmindServer}, {@link
 * Tenant}, {@link JobScript}, {@link Fault} and {@link Journal}; mistakes answer 400 with the same
 * message the Java API's {@link IllegalArgumentException} carries.
 *
 * <pre>
 * GET    /__fake/                                this index, as JSON
 * GET    /__fake/health                          {"status":"ok","now":...}
 * POST   /__fake/reset                           every tenant back to its first state (keys kept)
 * GET    /__fake/clock                           the server clock's time
 * POST   /__fake/clock/advance    {"by":"PT10M"} move a ManualClock on
 * POST   /__fake/clock/set        {"to":"2026-01-01T01:00:00Z"}
 * POST   /__fake/tenants          {"api_key"?, "own_clock"?: true, settings...}
 * GET    /__fake/tenants/{key}                   settings, balance and job ids
 * DELETE /__fake/tenants/{key}                   revoke
 * POST   /__fake/tenants/{key}/settings          {"credits", "free_credits", "job_cost", "prices": {model: n},
 *                                                  "forbid": [...], "retire": [...], "validation_quirk",
 *                                                  "upload_field", "auto_advance", "timeline": {"queued","processing"},
 *                                                  "timelines": {model: {"queued","processing"}},
 *                                                  "rate_limit": {"requests","per"}}
 *                                                  a field sent as null goes back to its default; the
 *                                                  lists replace the tenant's list ([] clears it)
 * POST   /__fake/tenants/{key}/scripts           {"model" or "request_id", "count"?, "outcome": "completed"|"failed",
 *                                                  "error"?, "queued"?, "processing"?, "images"?: [base64], "output"?: [...]}
 * POST   /__fake/tenants/{key}/faults            {"phase", "kind"?: "status"|"rate_limited"|"delay"|"real_delay"|
 *                                                  "disconnect"|"disconnect_after_handling"|"truncated_body"|
 *                                                  "malformed_json"|"truncated_json", "status"?, "message"?,
 *                                                  "reset_in"?, "retry_after"?, "delay"?, "times"?: n or "always"}
 * DELETE /__fake/tenants/{key}/faults            clear
 * GET    /__fake/tenants/{key}/journal           {"entries": [...]}
 * GET    /__fake/tenants/{key}/journal/counts    {"requests": n, "phases": {"STATUS": n, ...}, "http_statuses": {"200": n, ...}}
 * GET|POST /__fake/tenants/{key}/clock[/advance|/set]   a tenant's own clock
 * </pre>
 *
 * Durations are ISO-8601 ({@code PT2S}) or a number with a unit ({@code 2s}, {@code 500ms}).
 */
final class ControlApi {
    private final FakeSegmindServer server;

    ControlApi(FakeSegmindServer server) {
        this.server = server;
    }

    HttpResponse handle(HttpRequest request) {
        try {
            return route(request);
        } catch (IllegalArgumentException e) {
            return FakeApi.error(400, e.getMessage());
        }
    }

    private HttpResponse route(HttpRequest request) {
        String[] p = request.path().substring(FakeSegmindServer.CONTROL_PREFIX.length()).split("/");
        // p[0] is the empty string before the first slash
        String method = request.method();
        String first = p.length > 1 ? p[1] : "";
        switch (first) {
            case "":
                return ok(index());
            case "health":
                return ok(Json.MAPPER.createObjectNode().put("status", "ok").put("now", server.clock().now().toString()));
            case "reset":
                requirePost(method);
                server.reset();
                return ok(Json.MAPPER.createObjectNode().put("status", "reset").put("tenants", server.tenants().size()));
            case "clock":
                return clock(server.clock(), method, p.length > 2 ? p[2] : "", body(request));
            case "tenants":
                return tenants(request, p);
            default:
                return FakeApi.error(404, "no control endpoint " + request.path());
        }
    }

    private HttpResponse tenants(HttpRequest request, String[] p) {
        String method = request.method();
        if (p.length == 2) {
            requirePost(method);
            JsonNode body = body(request);
            String key = text(body, "api_key");
            boolean ownClock = body.path("own_clock").asBoolean(false);
            Tenant tenant;
            if (key != null) {
                tenant = server.newTenant(key);
            } else if (ownClock) {
                tenant = server.newTenant(new ManualClock(server.clock().now()));
            } else {
                tenant = server.newTenant();
            }
            settings(tenant, body);
            return ok(describe(tenant));
        }
        Tenant tenant = server.tenantOf(p[2]);
        if (tenant == null) {
            return FakeApi.error(404, "no tenant with key " + p[2]);
        }
        String part = p.length > 3 ? p[3] : "";
        switch (part) {
            case "":
                if (method.equals("DELETE")) {
                    tenant.revoke();
                    return ok(Json.MAPPER.createObjectNode().put("revoked", tenant.apiKey()));
                }
                return ok(describe(tenant));
            case "settings":
                requirePost(method);
                settings(tenant, body(request));
                return ok(describe(tenant));
            case "scripts":
                requirePost(method);
                script(tenant, body(request));
                return ok(describe(tenant));
            case "faults":
                if (method.equals("DELETE")) {
                    tenant.clearFaults();
                    return ok(describe(tenant));
                }
                requirePost(method);
                JsonNode f = body(request);
                tenant.inject(phase(f), fault(f));
                return ok(describe(tenant));
            case "journal":
                if (p.length > 4 && p[4].equals("counts")) {
                    return ok(journalCounts(tenant.journal()));
                }
                return ok(journal(tenant.journal()));
            case "clock":
                return clock(tenant.clock(), method, p.length > 4 ? p[4] : "", body(request));
            default:
                return FakeApi.error(404, "no control endpoint " + request.path());
        }
    }

    private static HttpResponse clock(TimeSource clock, String method, String action, JsonNode body) {
        if (!action.isEmpty()) {
            requirePost(method);
            if (!(clock instanceof ManualClock)) {
                throw new IllegalArgumentException("this clock is " + clock + ", not a ManualClock: it cannot be moved");
            }
            ManualClock manual = (ManualClock) clock;
            if (action.equals("advance")) {
                manual.advance(Directive.duration("by", text(body, "by")));
            } else if (action.equals("set")) {
                manual.set(instant(text(body, "to")));
            } else {
                throw new IllegalArgumentException("a clock can 'advance' or 'set', not '" + action + "'");
            }
        }
        return ok(Json.MAPPER.createObjectNode().put("now", clock.now().toString()).put("manual", clock instanceof ManualClock));
    }

    /** The settings a tenant takes, each with what {@code null} sets it back to. */
    private static final String[][] SETTINGS = {
        {"credits", "number: paid balance; null: 100"},
        {"free_credits", "number: free balance, spent first; null: 0"},
        {"job_cost", "number: price of a job of any model; null: the per-model prices"},
        {"prices", "{model: number or null}: price of a job of that model, null takes it back; prices: null takes back all"
            + " (then the server's: style-transfer 0.0257, material-transfer 0.25, others 0.02)"},
        {"forbid", "[models]: answered 403; replaces the list, [] or null clears it"},
        {"retire", "[models]: answered 410; replaces the list, [] or null clears it"},
        {"validation_quirk", "boolean: validate at run time (the job FAILS within ms, not billed) instead of 400 at submit; null: false"},
        {"upload_field", "\"file_urls\" or \"urls\": the upload answer's field; null: file_urls"},
        {"auto_advance", "duration: each status poll moves the tenant's ManualClock on; null: the server's step"},
        {"timeline", "{queued, processing}: durations of jobs of every model; null: the per-model timelines"},
        {"timelines", "{model: {queued, processing} or null}: durations of jobs of that model, null takes it back;"
            + " timelines: null takes back all (then the server's)"},
        {"rate_limit", "{requests, per}: a token bucket on the key; null: no limit"},
    };

    private ObjectNode index() {
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("service", "segmindkit fake Segmind server: control API");
        out.put("base_url", server.baseUrl().toString());
        out.put("public_base_url", server.publicBaseUrl().toString());
        ArrayNode endpoints = out.putArray("endpoints");
        String[][] list = {
            {"GET", "/__fake/", "this index"},
            {"GET", "/__fake/health", "{status, now}"},
            {"POST", "/__fake/reset", "every tenant back to its first state, keys kept"},
            {"GET", "/__fake/clock", "the server clock"},
            {"POST", "/__fake/clock/advance", "{\"by\": duration}: move a ManualClock on"},
            {"POST", "/__fake/clock/set", "{\"to\": instant}"},
            {"POST", "/__fake/tenants", "{api_key?, own_clock?, settings...}: a new tenant"},
            {"GET", "/__fake/tenants/{key}", "a tenant's settings, balance and request ids"},
            {"DELETE", "/__fake/tenants/{key}", "revoke the key"},
            {"POST", "/__fake/tenants/{key}/settings", "change settings (see settings)"},
            {"POST", "/__fake/tenants/{key}/scripts", "{model | request_id, count?, outcome, error?, queued?, processing?, images?, output?}"},
            {"POST", "/__fake/tenants/{key}/faults", "{phase, kind?, status?, message?, reset_in?, retry_after?, delay?, times?}"},
            {"DELETE", "/__fake/tenants/{key}/faults", "clear the faults not yet spent"},
            {"GET", "/__fake/tenants/{key}/journal", "{entries: [...]}"},
            {"GET", "/__fake/tenants/{key}/journal/counts", "{requests, phases, http_statuses}"},
            {"GET", "/__fake/tenants/{key}/clock", "a tenant's own clock; POST .../clock/advance and .../clock/set move it"},
        };
        for (String[] e : list) {
            endpoints.addObject().put("method", e[0]).put("path", e[1]).put("does", e[2]);
        }
        ObjectNode settings = out.putObject("settings");
        for (String[] e : SETTINGS) {
            settings.put(e[0], e[1]);
        }
        out.put("durations", "ISO-8601 (PT2S) or a number with a unit (2s, 500ms)");
        return out;
    }

    private void settings(Tenant tenant, JsonNode s) {
        for (java.util.Iterator<String> names = s.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!name.equals("api_key") && !name.equals("own_clock") && java.util.Arrays.stream(SETTINGS).noneMatch(e -> e[0].equals(name))) {
                throw new IllegalArgumentException("unknown setting \"" + name + "\"; GET /__fake/ lists them");
            }
        }
        if (s.has("credits")) {
            if (s.get("credits").isNull()) {
                tenant.defaultCredits();
            } else {
                tenant.credits(number(s, "credits"));
            }
        }
        if (s.has("free_credits")) {
            tenant.freeCredits(s.get("free_credits").isNull() ? 0 : number(s, "free_credits"));
        }
        if (s.has("job_cost")) {
            if (s.get("job_cost").isNull()) {
                tenant.clearJobCost();
            } else {
                tenant.jobCost(number(s, "job_cost"));
            }
        }
        if (s.has("prices")) {
            JsonNode prices = s.get("prices");
            if (prices.isNull()) {
                tenant.clearModelPrices();
            } else if (!prices.isObject()) {
                throw new IllegalArgumentException("prices is an object of model: price (or null), got " + prices);
            } else {
                for (java.util.Map.Entry<String, JsonNode> e : prices.properties()) {
                    if (e.getValue().isNull()) {
                        tenant.clearPrice(e.getKey());
                    } else if (e.getValue().isNumber()) {
                        tenant.price(e.getKey(), e.getValue().doubleValue());
                    } else {
                        throw new IllegalArgumentException("prices." + e.getKey() + " must be a number or null, got " + e.getValue());
                    }
                }
            }
        }
        if (s.has("forbid")) {
            java.util.Set<String> models = models(s, "forbid");
            tenant.forbiddenModels().forEach(tenant::permit);
            models.forEach(tenant::forbid);
        }
        if (s.has("retire")) {
            java.util.Set<String> models = models(s, "retire");
            tenant.retiredModels().forEach(tenant::unretire);
            models.forEach(tenant::retire);
        }
        if (s.has("validation_quirk")) {
            JsonNode q = s.get("validation_quirk");
            if (!q.isNull() && !q.isBoolean()) {
                throw new IllegalArgumentException("validation_quirk is true, false or null, got " + q);
            }
            tenant.validationQuirk(q.asBoolean(false));
        }
        if (s.has("upload_field")) {
            tenant.uploadUrlsField(s.get("upload_field").isNull() ? "file_urls" : text(s, "upload_field"));
        }
        if (s.has("auto_advance")) {
            tenant.autoAdvance(s.get("auto_advance").isNull() ? (tenant.hasAutoAdvanceClock() ? server.autoAdvanceStep() : Duration.ZERO)
                    : Directive.duration("auto_advance", text(s, "auto_advance")));
        }
        if (s.has("timeline")) {
            JsonNode t = s.get("timeline");
            if (t.isNull()) {
                tenant.clearAllModelsTimeline();
            } else {
                tenant.timeline(Directive.duration("queued", text(t, "queued")), Directive.duration("processing", text(t, "processing")));
            }
        }
        if (s.has("timelines")) {
            JsonNode per = s.get("timelines");
            if (per.isNull()) {
                tenant.clearModelTimelines();
            } else if (!per.isObject()) {
                throw new IllegalArgumentException("timelines is an object of model: {queued, processing} (or null), got " + per);
            } else {
                for (java.util.Map.Entry<String, JsonNode> e : per.properties()) {
                    JsonNode v = e.getValue();
                    if (v.isNull()) {
                        tenant.clearTimeline(e.getKey());
                    } else {
                        tenant.timeline(e.getKey(), Directive.duration("queued", text(v, "queued")), Directive.duration("processing", text(v, "processing")));
                    }
                }
            }
        }
        if (s.has("rate_limit")) {
            JsonNode r = s.get("rate_limit");
            if (r.isNull()) {
                tenant.noRateLimit();
            } else {
                tenant.rateLimit(r.path("requests").asInt(0), Directive.duration("per", text(r, "per")));
            }
        }
    }

    private static java.util.Set<String> models(JsonNode s, String field) {
        JsonNode list = s.get(field);
        java.util.Set<String> models = new java.util.TreeSet<>();
        if (list.isNull()) {
            return models;
        }
        if (!list.isArray()) {
            throw new IllegalArgumentException(field + " is a list of models ([] clears it), got " + list);
        }
        list.forEach(m -> models.add(m.asText()));
        return models;
    }

    private static void script(Tenant tenant, JsonNode s) {
        String outcome = s.path("outcome").asText("completed").toLowerCase(Locale.ROOT);
        JobScript script;
        if (outcome.equals("failed")) {
            script = JobScript.fails(s.path("error").asText("Inference failed"));
        } else if (outcome.equals("completed")) {
            script = JobScript.completes();
        } else {
            throw new IllegalArgumentException("outcome is \"completed\" or \"failed\", not \"" + outcome + '"');
        }
        if (s.has("queued")) {
            script = script.queuedFor(Directive.duration("queued", text(s, "queued")));
        }
        if (s.has("processing")) {
            script = script.processingFor(Directive.duration("processing", text(s, "processing")));
        }
        if (s.has("images")) {
            byte[][] images = new byte[s.get("images").size()][];
            for (int i = 0; i < images.length; i++) {
                try {
                    images[i] = Base64.getMimeDecoder().decode(s.get("images").get(i).asText());
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("images[" + i + "] is not base64");
                }
            }
            script = script.withImages(images);
        }
        if (s.has("output")) {
            String[] outputs = new String[s.get("output").size()];
            for (int i = 0; i < outputs.length; i++) {
                outputs[i] = s.get("output").get(i).asText();
            }
            script = script.withOutput(outputs);
        }
        String requestId = text(s, "request_id");
        if (requestId != null) {
            tenant.script(requestId, script);
        } else {
            String model = text(s, "model");
            if (model == null) {
                throw new IllegalArgumentException("a script names a \"model\" (for its next jobs) or a \"request_id\"");
            }
            tenant.scriptNext(model, s.path("count").asInt(1), script);
        }
    }

    private static Phase phase(JsonNode f) {
        String phase = text(f, "phase");
        if (phase == null) {
            throw new IllegalArgumentException("a fault names its \"phase\": one of " + java.util.Arrays.toString(Phase.values()));
        }
        try {
            return Phase.valueOf(phase.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown phase \"" + phase + "\": one of " + java.util.Arrays.toString(Phase.values()));
        }
    }

    private static Fault fault(JsonNode f) {
        String kind = f.path("kind").asText("status").toLowerCase(Locale.ROOT);
        Fault fault;
        switch (kind) {
            case "status":
                if (!f.has("status")) {
                    throw new IllegalArgumentException("a status fault needs a \"status\"");
                }
                fault = f.has("message") ? Fault.status(f.get("status").asInt(), text(f, "message")) : Fault.status(f.get("status").asInt());
                if (f.has("reset_in") && f.get("status").asInt() == 429) {
                    fault = Fault.rateLimited(Directive.duration("reset_in", text(f, "reset_in")));
                }
                break;
            case "rate_limited":
                fault = Fault.rateLimited(f.has("reset_in") ? Directive.duration("reset_in", text(f, "reset_in")) : Duration.ofSeconds(1));
                break;
            case "delay":
                fault = Fault.delay(Directive.duration("delay", text(f, "delay")));
                break;
            case "real_delay":
                fault = Fault.realDelay(Directive.duration("delay", text(f, "delay")));
                break;
            case "disconnect":
                fault = Fault.disconnect();
                break;
            case "disconnect_after_handling":
                fault = Fault.disconnectAfterHandling();
                break;
            case "truncated_body":
                fault = Fault.truncatedBody();
                break;
            case "malformed_json":
                fault = Fault.malformedJson();
                break;
            case "truncated_json":
                fault = Fault.truncatedJson();
                break;
            default:
                throw new IllegalArgumentException("unknown fault kind \"" + kind + '"');
        }
        if (f.has("retry_after")) {
            fault = fault.withRetryAfter(Directive.duration("retry_after", text(f, "retry_after")));
        }
        JsonNode times = f.get("times");
        if (times != null && times.isTextual() && times.asText().equals("always")) {
            fault = fault.always();
        } else if (times != null) {
            fault = fault.times(times.asInt());
        }
        return fault;
    }

    private ObjectNode describe(Tenant tenant) {
        ObjectNode t = Json.MAPPER.createObjectNode();
        t.put("api_key", tenant.apiKey());
        t.put("credits", FakeApi.number(tenant.balances()[0]));
        t.put("free_credits", FakeApi.number(tenant.balances()[1]));
        t.put("now", tenant.clock().now().toString());
        t.put("manual_clock", tenant.clock() instanceof ManualClock);
        ObjectNode prices = t.putObject("prices");
        server.knownModelsForControl().forEach(m -> prices.put(m, FakeApi.number(tenant.price(m))));
        ArrayNode forbidden = t.putArray("forbid");
        tenant.forbiddenModels().forEach(forbidden::add);
        ArrayNode retired = t.putArray("retire");
        tenant.retiredModels().forEach(retired::add);
        t.put("validation_quirk", tenant.quirk());
        t.put("upload_field", tenant.uploadField());
        t.put("auto_advance", tenant.autoAdvanceStep().toString());
        ObjectNode timelines = t.putObject("timelines");
        server.knownModelsForControl().forEach(m -> timelines.putObject(m).put("queued", tenant.defaultQueued(m).toString())
                .put("processing", tenant.defaultProcessing(m).toString()));
        t.put("rate_limited", tenant.hasRateLimit());
        ArrayNode jobs = t.putArray("request_ids");
        tenant.journal().submittedRequestIds().forEach(jobs::add);
        return t;
    }

    private static ObjectNode journal(Journal journal) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        ArrayNode entries = out.putArray("entries");
        for (Journal.Entry e : journal.entries()) {
            ObjectNode n = entries.addObject();
            n.put("at", e.at().toString());
            n.put("phase", e.phase().name());
            n.put("method", e.method());
            n.put("path", e.path());
            e.requestId().ifPresent(v -> n.put("request_id", v));
            e.model().ifPresent(v -> n.put("model", v));
            n.put("http_status", e.httpStatus());
            e.jobStatus().ifPresent(v -> n.put("job_status", v));
            e.fault().ifPresent(v -> n.put("fault", v));
            n.put("paid", e.paid());
            e.rateLimitResetAt().ifPresent(v -> n.put("rate_limit_reset_at", v.toString()));
        }
        return out;
    }

    /**
     * The journal as counts only, for load harnesses: reading 100,000 entries as JSON would cost
     * the fake (and the reader) more than the run being measured.
     */
    private static ObjectNode journalCounts(Journal journal) {
        java.util.Map<String, Integer> phases = new java.util.TreeMap<>();
        java.util.Map<String, Integer> statuses = new java.util.TreeMap<>();
        java.util.List<Journal.Entry> entries = journal.entries();
        for (Journal.Entry e : entries) {
            phases.merge(e.phase().name(), 1, Integer::sum);
            statuses.merge(String.valueOf(e.httpStatus()), 1, Integer::sum);
        }
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("requests", entries.size());
        ObjectNode byPhase = out.putObject("phases");
        phases.forEach(byPhase::put);
        ObjectNode byStatus = out.putObject("http_statuses");
        statuses.forEach(byStatus::put);
        return out;
    }

    private static JsonNode body(HttpRequest request) {
        if (request.body().length == 0) {
            return Json.MAPPER.createObjectNode();
        }
        try {
            JsonNode node = Json.parse(request.body());
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException("the control API takes a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new IllegalArgumentException("the control API takes a JSON object, this is not JSON");
        }
    }

    private static void requirePost(String method) {
        if (!method.equals("POST")) {
            throw new IllegalArgumentException("use POST here, not " + method);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static double number(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (!v.isNumber()) {
            throw new IllegalArgumentException(field + " must be a number, got " + v);
        }
        return v.doubleValue();
    }

    private static Instant instant(String value) {
        if (value == null) {
            throw new IllegalArgumentException("\"to\" needs an ISO-8601 instant such as 2026-01-01T01:00:00Z");
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("\"" + value + "\" is not an ISO-8601 instant such as 2026-01-01T01:00:00Z");
        }
    }

    private static HttpResponse ok(JsonNode body) {
        return FakeApi.json(200, body);
    }
}
