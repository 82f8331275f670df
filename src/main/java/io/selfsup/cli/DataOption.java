package io.selfsup.cli;

import io.selfsup.data.DataSpec;
import io.selfsup.encode.TrainedModel;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** --data, --test-fraction and --no-cache, the same for every command: where the images come from. */
final class DataOption {
    @Option(names = "--data", paramLabel = "PATH", description = "CIFAR-10 binary folder (data_batch_*.bin, "
            + "test_batch.bin), the folder holding cifar-10-batches-bin/, cifar-10-binary.tar.gz, or a folder "
            + "of images (JPEG/PNG/BMP/GIF; class subfolders are labels, train/ and test/ are splits). "
            + "Default: ssl-train: CIFAR-10 downloaded through DJL; ssl-encode and ssl-eval: the run's own data "
            + "(from its config.json).")
    Path path;

    @Option(names = "--test-fraction", paramLabel = "F", description = "Share of a folder without train/ and "
            + "test/ held out as its test split, chosen per file by a hash of its path and the seed, so adding "
            + "files moves none (default: " + DataSpec.DEFAULT_TEST_FRACTION + "; ssl-encode and ssl-eval: the "
            + "run's; 0 holds nothing out).")
    Double testFraction;

    @Option(names = "--no-cache", description = "Decode image folders again instead of reading, and writing, "
            + "the decoded-pixel cache (~/.cache/selfsup, or $SELFSUP_CACHE).")
    boolean noCache;

    /** For ssl-train: the given data, split with the run's seed. */
    DataSpec spec(long seed) {
        return new DataSpec(path, testFraction == null ? DataSpec.DEFAULT_TEST_FRACTION : testFraction, seed,
                cacheDir());
    }

    /** For ssl-encode and ssl-eval: the given data, else the run's. */
    DataSpec spec(TrainedModel model) {
        return model.data(path, testFraction, cacheDir());
    }

    private Path cacheDir() {
        return noCache ? null : DataSpec.defaultCacheDir();
    }
}
