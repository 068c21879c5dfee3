package dev.segmindkit.cli;

import dev.segmindkit.core.ModelRequest;
import dev.segmindkit.core.internal.Spec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code segmind style-transfer} and {@code segmind material-transfer}: one option per parameter
 * of the model, made from the spec ({@link ModelParameters}), plus where to send it and what to do
 * with the result. Submits the job, waits with a progress line, and saves or prints the images.
 */
@Command(mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, sortOptions = false, usageHelpAutoWidth = true,
        showDefaultValues = false, synopsisHeading = "%nUsage: ", descriptionHeading = "%n", optionListHeading = "%nOptions:%n")
final class ModelCommand implements Callable<Integer>, OptionNaming {
    private final Context ctx;
    private final String model;
    private final ModelParameters params;

    @Mixin
    OutputOptions output;

    @Option(names = "--no-wait", order = 110, description = "Print the request id as soon as the job is submitted, and return.")
    boolean noWait;

    @Option(names = "--upload", order = 111,
            description = "Upload local image files to the service's asset host and pass their URLs, instead of sending them inline.")
    boolean upload;

    @Mixin
    TargetOptions target;

    ModelCommand(Context ctx, String model) {
        this.ctx = ctx;
        this.model = model;
        this.params = ModelParameters.forModel(model);
    }

    /** The command, with its model's parameters added to the annotated options. */
    static CommandLine create(Context ctx, String model, String summary) {
        ModelCommand command = new ModelCommand(ctx, model);
        CommandLine cl = new CommandLine(command);
        command.params.addTo(cl.getCommandSpec());
        String typical = Spec.get().typicalDuration(model).map(d -> " A job takes about " + d.toSeconds() + " s on the real API.").orElse("");
        cl.getCommandSpec().usageMessage().customSynopsis(command.params.synopsis("segmind " + model) + "%n")
                .description(summary + typical,
                "On the real API when SEGMIND_API_KEY is set; with --fake on the embedded fake server.");
        return cl;
    }

    @Override
    public Integer call() {
        Map<String, Object> given = params.given();
        if (output.out != null && !given.containsKey("output_format")) {
            // `--out result.png` asks for PNG: say so to the service, if the model lets us choose.
            OutputFiles.parse(output.out).requestedFormat()
                    .filter(f -> params.param("output_format").map(p -> ModelParameters.enumValues(p.schema).contains(f)).orElse(false))
                    .ifPresent(f -> given.put("output_format", f));
        }
        return new JobRunner(ctx, target, output).submit(model, noWait, t -> {
            Map<String, Object> values = new LinkedHashMap<>(given);
            List<String> localNames = new ArrayList<>();
            List<Path> localFiles = new ArrayList<>();
            for (ModelParameters.Param p : params.params()) {
                Object v = values.get(p.name);
                if (p.image && v != null) {
                    String option = p.option.longestName();
                    values.put(p.name, ImageArgs.inline(option, (String) v));
                    if (ImageArgs.isLocal((String) v)) {
                        localNames.add(p.name);
                        localFiles.add(ImageArgs.file(option, (String) v));
                    }
                }
            }
            ModelRequest request = ModelRequest.of(model, values);
            // Checked before any upload, so a bad value never costs one.
            request.validate();
            if (upload && !localFiles.isEmpty()) {
                List<String> urls = t.client.upload(localFiles.toArray(new Path[0]));
                for (int i = 0; i < urls.size(); i++) {
                    values.put(localNames.get(i), urls.get(i));
                }
                request = ModelRequest.of(model, values);
            }
            return request;
        });
    }

    @Override
    public String optionFor(String wireName) {
        return params.optionFor(wireName);
    }

    @Override
    public String toString() {
        return "ModelCommand{" + model + '}';
    }
}
