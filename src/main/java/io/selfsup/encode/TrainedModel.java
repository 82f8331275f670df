package io.selfsup.encode;

import io.selfsup.SelfsupException;
import io.selfsup.config.RunConfig;
import io.selfsup.data.DataSpec;
import io.selfsup.method.MethodConfig;
import io.selfsup.run.RunDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trained parameters and the method config that says which network they belong to, read from the run's
 * config.json: all ssl-encode and ssl-eval need to rebuild it; and the data the run trained on, their
 * default data.
 *
 * @param runData the run's --data, --test-fraction and seed (a null path: CIFAR-10 through DJL), or null for a
 *                parameters file outside a run
 * @param runDir the run directory, or null
 */
public record TrainedModel(Path parameters, MethodConfig method, DataSpec runData, Path runDir) {

    private static final Logger LOG = LoggerFactory.getLogger(TrainedModel.class);

    /** The run's final model, else its newest checkpoint. */
    public static TrainedModel ofRun(Path runDir) {
        RunDirectory run = RunDirectory.open(runDir);
        RunConfig config = configOf(run);
        return new TrainedModel(run.newestModel(), config.method(), config.data(null), run.path());
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
        if (run == null) {
            return new TrainedModel(file, MethodConfig.fromMap(null), null, null);
        }
        RunConfig config = configOf(run);
        return new TrainedModel(file, config.method(), config.data(null), run.path());
    }

    /**
     * The data to encode or evaluate: {@code given} (--data) when there is one, else the run's own data; the
     * run's test split unless {@code testFraction} overrides it. Only without either does it fall back to
     * CIFAR-10 through DJL's download.
     */
    public DataSpec data(Path given, Double testFraction, Path cacheDir) {
        double fraction = testFraction != null ? testFraction
                : runData != null ? runData.testFraction() : DataSpec.DEFAULT_TEST_FRACTION;
        long seed = runData != null ? runData.splitSeed() : 0;
        Path path = given;
        if (given == null && runData != null) {
            path = runData.path();
            if (path == null) {
                LOG.info("--data not given: using the run's data, CIFAR-10 through DJL's download (from {})",
                        runDir.resolve(RunDirectory.CONFIG));
            } else {
                if (!Files.exists(path)) {
                    throw new SelfsupException("the run's data " + path + " (recorded in " + runDir.resolve(
                            RunDirectory.CONFIG) + ") no longer exists; pass --data PATH");
                }
                LOG.info("--data not given: using the run's data {} (from {}); pass --data for other images", path,
                        runDir.resolve(RunDirectory.CONFIG));
            }
        } else if (given == null) {
            LOG.info("--data not given and no run recorded any: CIFAR-10 through DJL's download");
        }
        return new DataSpec(path, fraction, seed, cacheDir, method.imageSize());
    }

    private static RunConfig configOf(RunDirectory run) {
        return RunConfig.fromMap(run.readConfig(), run.path().resolve(RunDirectory.CONFIG));
    }
}
