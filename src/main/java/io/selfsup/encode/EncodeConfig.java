package io.selfsup.encode;

import io.selfsup.SelfsupException;
import io.selfsup.data.DataSpec;
import java.nio.file.Path;

/**
 * What ssl-encode is asked to do.
 *
 * @param model the trained parameters and the network they belong to
 * @param pooling how feature maps become vectors, or null for the backbone's default
 * @param data --data as ssl-train takes it (a null path: CIFAR-10 through DJL), with the run's test split
 * @param split which images: train, test or all (train then test)
 */
public record EncodeConfig(TrainedModel model, DataSpec data, EncodeSplit split, Pooling pooling, int batchSize,
                           Path out, boolean overwrite) {

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
    }

    /** --split values. */
    public enum EncodeSplit {
        TRAIN,
        TEST,
        ALL
    }
}
