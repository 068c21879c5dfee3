package dev.segmindkit.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segmindkit.core.ModelRequest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code segmind run MODEL --param key=value...}: any model, its parameters given as they go on
 * the wire. Models the spec describes are checked against it before sending; others pass as given.
 */
@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, sortOptions = false,
        usageHelpAutoWidth = true, synopsisHeading = "%nUsage: ", descriptionHeading = "%n", optionListHeading = "%nOptions:%n",
        description = {"Run any model by its slug (as in https://api.segmind.com/v2/<model>), with its parameters as --param key=value.",
            "A value is sent as a JSON number or boolean when it is one (5, 0.65, true), else as a string; \"\\\"5\\\"\" sends the string 5.",
            "@FILE sends a local image file (inline as a data URI, or uploaded with --upload)."})
final class RunCommand implements Callable<Integer>, OptionNaming {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            // "1 dog" is a prompt, not the number 1 followed by noise.
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final Context ctx;

    @Parameters(index = "0", paramLabel = "MODEL", description = "The model's slug, such as style-transfer or flux-schnell.")
    String model;

    @Option(names = {"-p", "--param"}, paramLabel = "KEY=VALUE", order = 1,
            description = "A parameter, repeatable: --param prompt='a red fox' --param steps=6 --param image=@photo.png")
    Map<String, String> params = new LinkedHashMap<>();

    @Mixin
    OutputOptions output;

    @Option(names = "--no-wait", order = 110, description = "Print the request id as soon as the job is submitted, and return.")
    boolean noWait;

    @Option(names = "--upload", order = 111, description = "Upload @FILE images to the service's asset host and pass their URLs, instead of sending them inline.")
    boolean upload;

    @Mixin
    TargetOptions target;

    RunCommand(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        if (output.out != null) {
            OutputFiles.parse(output.out);
        }
        Map<String, Object> values = new LinkedHashMap<>();
        List<String> localNames = new ArrayList<>();
        List<Path> localFiles = new ArrayList<>();
        params.forEach((key, raw) -> {
            if (key.isBlank()) {
                throw CliException.usage("--param " + key + "=" + raw + ": the parameter name is empty");
            }
            if (raw.startsWith("@")) {
                String option = "--param " + key;
                values.put(key, ImageArgs.inline(option, raw.substring(1)));
                localNames.add(key);
                localFiles.add(ImageArgs.file(option, raw.substring(1)));
            } else {
                values.put(key, value(raw));
            }
        });
        ModelRequest checked;
        try {
            checked = ModelRequest.of(model, values);
        } catch (IllegalArgumentException e) {
            throw CliException.usage(e.getMessage());
        }
        checked.validate();
        return new JobRunner(ctx, target, output).submit(model, noWait, t -> {
            if (!upload || localFiles.isEmpty()) {
                return checked;
            }
            List<String> urls = t.client.upload(localFiles.toArray(new Path[0]));
            Map<String, Object> uploaded = new LinkedHashMap<>(values);
            for (int i = 0; i < urls.size(); i++) {
                uploaded.put(localNames.get(i), urls.get(i));
            }
            return ModelRequest.of(model, uploaded);
        });
    }

    /** A JSON number or boolean as such; a JSON string literal unquoted; anything else as typed. */
    static Object value(String raw) {
        try {
            JsonNode node = JSON.readTree(raw);
            if (node != null && node.isIntegralNumber()) {
                return node.numberValue();
            }
            if (node != null && node.isNumber()) {
                return node.decimalValue();
            }
            if (node != null && node.isBoolean()) {
                return node.booleanValue();
            }
            if (node != null && node.isTextual() && raw.strip().startsWith("\"")) {
                return node.asText();
            }
        } catch (IOException e) {
            // Not JSON at all: a plain string, which is what most values are.
        }
        return raw;
    }

    @Override
    public String optionFor(String wireName) {
        return "--param " + wireName;
    }
}
