package io.selfsup.encode;

import io.selfsup.SelfsupException;
import io.selfsup.method.MethodConfig;
import io.selfsup.run.RunDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Trained parameters and the method config that says which network they belong to, read from the run's
 * config.json: all ssl-encode and ssl-eval need to rebuild it.
 */
public record TrainedModel(Path parameters, MethodConfig method) {

    /** The run's final model, else its newest checkpoint. */
    public static TrainedModel ofRun(Path runDir) {
        RunDirectory run = RunDirectory.open(runDir);
        return new TrainedModel(run.newestModel(), methodOf(run));
    }

    /**
     * A parameters file; its network is the one of the run directory it lies in, or the article's autoencoder
     * for a file outside one (as every file was before other methods existed).
     */
    public static TrainedModel ofFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new SelfsupException("--checkpoint " + file + " is not a file; pass a .params file written by "
                    + "ssl-train");
        }
        RunDirectory run = RunDirectory.containing(file);
        return new TrainedModel(file, run == null ? MethodConfig.fromMap(null) : methodOf(run));
    }

    @SuppressWarnings("unchecked")
    private static MethodConfig methodOf(RunDirectory run) {
        return MethodConfig.fromMap((Map<String, Object>) run.readConfig().get("method"));
    }
}
