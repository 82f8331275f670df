package io.selfsup.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.selfsup.data.DataSpec;
import io.selfsup.encode.EncodeConfig;
import io.selfsup.encode.EncodeJob;
import io.selfsup.encode.TrainedModel;
import io.selfsup.nn.Pooling;
import io.selfsup.train.TrainConfig;
import io.selfsup.train.TrainingSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole chain on the bundled subset: train -> encode -> eval, as a user runs it; encode and eval are given
 * no data, so they take the run's own (recorded in its config.json).
 */
class PipelineTest {

    @Test
    void trainEncodeEval(@TempDir Path tmp) {
        Path mini = Path.of("data", "cifar10-mini");
        TrainingSession.Outcome trained = TrainingSession.run(
                TrainConfig.defaults().withData(mini).withEpochs(1).withOutput(tmp.resolve("run")), r -> { });
        TrainedModel checkpoint = TrainedModel.ofRun(trained.run().path());
        DataSpec runData = checkpoint.data(null, null, null);
        assertEquals(mini.toAbsolutePath().normalize(), runData.path(), "the run's own data, not a download");

        Path trainFeatures = tmp.resolve("train.npz");
        Path testFeatures = tmp.resolve("test.npz");
        EncodeJob.run(new EncodeConfig(checkpoint, runData, EncodeConfig.EncodeSplit.TRAIN, Pooling.AVG, 256,
                trainFeatures, false));
        EncodeJob.run(new EncodeConfig(checkpoint, runData, EncodeConfig.EncodeSplit.TEST, Pooling.AVG, 256,
                testFeatures, false));

        List<EvalRow> fromFiles = EvalJob.run(new EvalConfig(null, null, trainFeatures, testFeatures,
                List.of(Pooling.AVG), false, 20, 5, 256, null), r -> { });
        Path report = tmp.resolve("eval.md");
        List<EvalRow> direct = EvalJob.run(new EvalConfig(checkpoint, runData, null, null, List.of(Pooling.AVG), true,
                20, 5, 256, report), r -> { });

        assertEquals(1, fromFiles.size());
        assertEquals(3, direct.size(), "trained, random encoder, raw pixels");
        // the same features through a file or directly give the same kNN accuracy (deterministic)
        assertEquals(direct.get(0).knnAccuracy(), fromFiles.get(0).knnAccuracy(), 1e-9);
        for (EvalRow row : direct) {
            assertTrue(row.linearAccuracy() > 0.12 && row.knnAccuracy() > 0.12, "better than chance: " + row);
        }
        assertTrue(Files.exists(report));
    }
}
