package io.selfsup.cli;

import io.selfsup.encode.EncodeConfig;
import io.selfsup.encode.EncodeJob;
import io.selfsup.nn.Pooling;
import io.selfsup.encode.TrainedModel;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** ssl-encode: the frozen encoder's features of every image, as a NumPy .npz or a Parquet file. */
@Command(name = "encode", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        sortOptions = false,
        description = "Writes the trained encoder's features of every image to an .npz file "
                + "(features float32 (N, D), labels int64 (N), class_names) or, for --out *.parquet, a Parquet file "
                + "of one row per image (path, label, class, split, features, run), from --data or else the run's "
                + "own data.")
final class EncodeCommand implements Callable<Integer> {

    @ArgGroup(exclusive = true, multiplicity = "1")
    ModelOptions model;

    @Mixin
    DataOption data;

    @Option(names = "--split", defaultValue = "all", paramLabel = "train|test|all",
            description = "Which images (default: ${DEFAULT-VALUE}; all = train then test, with a 'split' array).")
    EncodeConfig.EncodeSplit split;

    @Option(names = "--pool", paramLabel = "flatten|avg",
            description = "flatten: the whole feature map (conv2: 128x8x8 = 8,192 values); avg: the channel means "
                    + "(global average pool). Default: flatten for conv2, avg for resnet18.")
    Pooling pool;

    @Option(names = "--batch-size", defaultValue = "256", description = "Images per forward pass (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "The file to write: .npz, or .parquet for a Parquet file.")
    Path out;

    @Option(names = "--overwrite", description = "Replace --out if it exists.")
    boolean overwrite;

    @Mixin
    DeviceOption device;

    @Mixin
    VerboseOption verbose;

    @Override
    public Integer call() {
        TrainedModel trained = model.resolve();
        EncodeConfig config = new EncodeConfig(trained, data.spec(trained), split, pool, batchSize, out, overwrite,
                device.device);
        EncodeJob.Result r = EncodeJob.run(config);
        System.out.printf(Locale.ROOT, "Wrote %d x %d features to %s in %.1f s (%.0f images/s)%n", r.images(),
                r.dimension(), r.out(), r.seconds(), r.imagesPerSecond());
        return 0;
    }
}
