package io.selfsup.encode;

import io.selfsup.nn.Pooling;
import io.selfsup.SelfsupException;
import io.selfsup.data.DataSpec;
import io.selfsup.engine.DeviceMode;
import java.nio.file.Path;

/**
 * What ssl-encode is asked to do.
 *
 * @param model the trained parameters and the network they belong to
 * @param pooling how feature maps become vectors, or null for the backbone's default
 * @param data --data as ssl-train takes it (a null path: CIFAR-10 through DJL), with the run's test split
 * @param split which images: train, test or all (train then test)
 * @param device where the encoder runs (--device); the features come back to the host for the file
 */
public record EncodeConfig(TrainedModel model, DataSpec data, EncodeSplit split, Pooling pooling, int batchSize,
                           Path out, boolean overwrite, DeviceMode device) {

    public EncodeConfig {
        if (pooling == null) {
            pooling = model.method().backbone().defaultPooling();
        }
        if (batchSize < 1) {
            throw new SelfsupException("the batch size must be at least 1, got " + batchSize);
        }
        if (out == null) {
            throw new SelfsupException("--out FILE is required: where to write the features (.npz or .parquet)");
        }
        io.selfsup.files.OutputPaths.checkWritableFile(out, "--out");
        if (device == null) {
            device = DeviceMode.AUTO;
        }
    }

    /** On the device --device auto picks. */
    public EncodeConfig(TrainedModel model, DataSpec data, EncodeSplit split, Pooling pooling, int batchSize,
                        Path out, boolean overwrite) {
        this(model, data, split, pooling, batchSize, out, overwrite, DeviceMode.AUTO);
    }

    /** --split values. */
    public enum EncodeSplit {
        TRAIN,
        TEST,
        ALL;

        /** The id, so that picocli's messages name values as users type them. */
        @Override
        public String toString() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
