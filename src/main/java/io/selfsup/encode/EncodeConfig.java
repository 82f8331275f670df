package io.selfsup.encode;

import io.selfsup.SelfsupException;
import java.nio.file.Path;

/**
 * What ssl-encode is asked to do.
 *
 * @param model the trained parameters and the network they belong to
 * @param pooling how feature maps become vectors, or null for the backbone's default
 * @param data --data as ssl-train takes it (null: CIFAR-10 through DJL)
 * @param split which images: train, test or all (train then test)
 * @param inMemoryLimitBytes feature arrays up to this size go through DJL's own NPZ encoder; larger ones stream
 */
public record EncodeConfig(TrainedModel model, Path data, EncodeSplit split, Pooling pooling, int batchSize, Path out,
                           boolean overwrite, long inMemoryLimitBytes) {

    public static final long DEFAULT_IN_MEMORY_LIMIT = 256L << 20;

    public EncodeConfig {
        if (pooling == null) {
            pooling = Pooling.defaultFor(model.method().backbone());
        }
        if (batchSize < 1) {
            throw new SelfsupException("--batch-size must be at least 1, got " + batchSize);
        }
        if (out == null) {
            throw new SelfsupException("--out FILE is required: where to write the features (.npz)");
        }
        io.selfsup.OutputPaths.checkWritableFile(out, "--out");
    }

    /** --split values. */
    public enum EncodeSplit {
        TRAIN,
        TEST,
        ALL
    }
}
