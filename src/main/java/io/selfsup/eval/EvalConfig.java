package io.selfsup.eval;

import io.selfsup.encode.Pooling;
import java.nio.file.Path;
import java.util.List;

/**
 * What ssl-eval is asked to do: either encode --data with a checkpoint (and the baselines), or read two
 * feature files written by ssl-encode.
 *
 * @param checkpoint trained parameters, or null when feature files are given
 * @param featuresTrain / featuresTest .npz files from ssl-encode, or null
 * @param report also write the table as Markdown to this file, or null
 */
public record EvalConfig(Path checkpoint, Path data, Path featuresTrain, Path featuresTest, List<Pooling> pools,
                         boolean baselines, int k, int probeEpochs, int batchSize, Path report) {

    public EvalConfig {
        pools = List.copyOf(pools);
        if ((featuresTrain == null) != (featuresTest == null)) {
            throw new io.selfsup.SelfsupException("pass both --features-train and --features-test, or neither");
        }
        if (featuresTrain == null && checkpoint == null) {
            throw new io.selfsup.SelfsupException("pass --run DIR (or --checkpoint FILE), or --features-train "
                    + "and --features-test");
        }
    }
}
