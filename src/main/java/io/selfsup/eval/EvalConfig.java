package io.selfsup.eval;

import io.selfsup.data.DataSpec;
import io.selfsup.encode.TrainedModel;
import io.selfsup.engine.DeviceMode;
import io.selfsup.nn.Pooling;
import java.nio.file.Path;
import java.util.List;

/**
 * What ssl-eval is asked to do: either encode --data with a checkpoint (and the baselines), or read two
 * feature files written by ssl-encode.
 *
 * @param model trained parameters and their network, or null when feature files are given
 * @param data the images to encode (with the run's test split), or null when feature files are given
 * @param pools poolings to score, or empty for the backbone's usual ones (conv2: flatten and avg; resnet18: avg)
 * @param featuresTrain / featuresTest .npz files from ssl-encode, or null
 * @param report also write the table as Markdown to this file, or null
 * @param device where encoders, features, the linear probe and the kNN vote live (--device)
 */
public record EvalConfig(TrainedModel model, DataSpec data, Path featuresTrain, Path featuresTest,
                         List<Pooling> pools, boolean baselines, int k, int probeEpochs, int batchSize, Path report,
                         DeviceMode device) {

    /** On the device --device auto picks. */
    public EvalConfig(TrainedModel model, DataSpec data, Path featuresTrain, Path featuresTest, List<Pooling> pools,
                      boolean baselines, int k, int probeEpochs, int batchSize, Path report) {
        this(model, data, featuresTrain, featuresTest, pools, baselines, k, probeEpochs, batchSize, report,
                DeviceMode.AUTO);
    }

    public EvalConfig {
        if (device == null) {
            device = DeviceMode.AUTO;
        }
        if (pools.isEmpty() && model != null) {
            pools = model.method().backbone().evalPoolings();
        }
        pools = List.copyOf(pools);
        if ((featuresTrain == null) != (featuresTest == null)) {
            throw new io.selfsup.SelfsupException("pass both --features-train and --features-test, or neither");
        }
        if (k < 1) {
            throw new io.selfsup.SelfsupException("the kNN vote needs at least 1 neighbour, got " + k);
        }
        if (probeEpochs < 1) {
            throw new io.selfsup.SelfsupException("the linear probe needs at least 1 epoch, got " + probeEpochs);
        }
        if (batchSize < 1) {
            throw new io.selfsup.SelfsupException("the batch size must be at least 1, got " + batchSize);
        }
        if (report != null) {
            io.selfsup.files.OutputPaths.checkWritableFile(report, "--report");
        }
        if (featuresTrain == null && model == null) {
            throw new io.selfsup.SelfsupException("pass --run DIR (or --checkpoint FILE), or --features-train "
                    + "and --features-test");
        }
    }
}
