package io.selfsup.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.selfsup.data.DataSources;
import io.selfsup.data.DataSpec;
import io.selfsup.data.Split;
import io.selfsup.encode.EncodeConfig;
import io.selfsup.encode.EncodeJob;
import io.selfsup.encode.FeatureMatrix;
import io.selfsup.encode.NpzArrays;
import io.selfsup.encode.TrainedModel;
import io.selfsup.nn.Pooling;
import io.selfsup.train.TrainConfig;
import io.selfsup.train.TrainingSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole chain on the bundled subset: train -> encode -> eval, as a user runs it; encode and eval are given
 * no data, so they take the run's own (recorded in its config.json). Each evaluated row must beat, by a margin,
 * what the same protocol scores when the training labels are shuffled: features that lost their images' order,
 * labels of the wrong split or a probe that learns nothing all score like that control.
 */
class PipelineTest {

    private static final int K = 20;
    private static final int PROBE_EPOCHS = 5;
    /**
     * Accuracy points above the shuffled-label control every row must reach. On the 500 test images chance
     * accuracy has a standard deviation of 1.3 points, so 5 points is almost 4 of them. Measured (1 epoch, CPU,
     * libtorch 2.7.1): rows 23.8-27.8%, control 8.8% (linear) and 12.0% (kNN), so 12 to 19 points above it.
     */
    private static final double MARGIN = 0.05;

    /** ssl-encode of each split into {@code train} and {@code test}, then ssl-eval of those two files. */
    private static List<EvalRow> encodeAndEvaluate(TrainedModel checkpoint, DataSpec runData, Path train, Path test) {
        EncodeJob.run(new EncodeConfig(checkpoint, runData, EncodeConfig.EncodeSplit.TRAIN, Pooling.AVG, 256, train,
                false));
        EncodeJob.run(new EncodeConfig(checkpoint, runData, EncodeConfig.EncodeSplit.TEST, Pooling.AVG, 256, test,
                false));
        return EvalJob.run(new EvalConfig(null, null, train, test, List.of(Pooling.AVG), false, K, PROBE_EPOCHS, 256,
                null), r -> { });
    }

    @Test
    void trainEncodeEvalBeatsShuffledLabelsAndReportsTheComputedRows(@TempDir Path tmp) throws IOException {
        Path mini = Path.of("data", "cifar10-mini");
        TrainingSession.Outcome trained = TrainingSession.run(
                TrainConfig.defaults().withData(mini).withEpochs(1).withOutput(tmp.resolve("run")), r -> { });
        TrainedModel checkpoint = TrainedModel.ofRun(trained.run().path());
        DataSpec runData = checkpoint.data(null, null, null);
        assertEquals(mini.toAbsolutePath().normalize(), runData.path(), "the run's own data, not a download");

        Path trainFeatures = tmp.resolve("train.npz");
        Path testFeatures = tmp.resolve("test.npz");
        List<EvalRow> fromFiles = encodeAndEvaluate(checkpoint, runData, trainFeatures, testFeatures);
        List<EvalRow> fromParquet = encodeAndEvaluate(checkpoint, runData, tmp.resolve("train.parquet"),
                tmp.resolve("test.parquet"));
        Path report = tmp.resolve("eval.md");
        List<EvalRow> printed = new ArrayList<>();
        List<EvalRow> direct = EvalJob.run(new EvalConfig(checkpoint, runData, null, null, List.of(Pooling.AVG), true,
                K, PROBE_EPOCHS, 256, report), printed::add);

        assertEquals(List.of("trained encoder", "random encoder", "raw pixels"),
                direct.stream().map(EvalRow::features).toList());
        assertEquals(List.of("avg", "avg", "-"), direct.stream().map(EvalRow::pooling).toList());
        assertEquals(3 * 32 * 32, direct.get(2).dimension(), "raw pixels are the image's values");
        assertEquals(direct.get(0).dimension(), direct.get(1).dimension(), "the random encoder is the same network");
        assertEquals(direct, printed, "each row is handed on as it is computed");

        EvalRow fileRow = fromFiles.get(0);
        assertEquals(1, fromFiles.size());
        assertEquals(direct.get(0).dimension(), fileRow.dimension());
        // the same features through a file or directly give the same accuracies (both classifiers are deterministic)
        assertEquals(direct.get(0).knnAccuracy(), fileRow.knnAccuracy(), 1e-9);
        assertEquals(direct.get(0).linearAccuracy(), fileRow.linearAccuracy(), 1e-9);
        // and Parquet files give what the .npz files give
        assertEquals(fileRow.knnAccuracy(), fromParquet.get(0).knnAccuracy(), 1e-9, "kNN from Parquet");
        assertEquals(fileRow.linearAccuracy(), fromParquet.get(0).linearAccuracy(), 1e-9, "linear from Parquet");

        double[] control = shuffledLabelAccuracy(trainFeatures, testFeatures);
        for (EvalRow row : direct) {
            String context = row + " vs shuffled labels: linear " + control[0] + ", kNN " + control[1];
            assertTrue(row.linearAccuracy() > control[0] + MARGIN, "linear probe above the control: " + context);
            assertTrue(row.knnAccuracy() > control[1] + MARGIN, "kNN above the control: " + context);
        }

        List<String> table = Files.readAllLines(report);
        assertEquals(2 + direct.size(), table.size(), String.join("\n", table));
        assertEquals(EvalRow.HEADER, table.get(0));
        assertEquals(EvalRow.RULE, table.get(1));
        for (int i = 0; i < direct.size(); i++) {
            assertReportLine(direct.get(i), table.get(2 + i));
        }
    }

    /**
     * The test split's labels of both files are the subset's own, in its order, and the features file's labels
     * shuffled (seed 0) give the protocol's score for features that carry nothing about their labels.
     */
    private static double[] shuffledLabelAccuracy(Path trainFeatures, Path testFeatures) {
        try (NDManager manager = NDManager.newBaseManager(ai.djl.Device.cpu())) {
            NDArray trainX = NpzArrays.read(manager, trainFeatures, "features");
            NDArray trainY = NpzArrays.read(manager, trainFeatures, "labels").toType(
                    ai.djl.ndarray.types.DataType.INT64, false);
            NDArray testY = NpzArrays.read(manager, testFeatures, "labels").toType(
                    ai.djl.ndarray.types.DataType.INT64, false);
            try (var source = DataSources.open(Path.of("data", "cifar10-mini"))) {
                assertArrayEquals(FeatureMatrix.labels(manager, source.load(Split.TRAIN)).toLongArray(),
                        trainY.toLongArray(), "train.npz's labels are the train split's, in order");
                assertArrayEquals(FeatureMatrix.labels(manager, source.load(Split.TEST)).toLongArray(),
                        testY.toLongArray(), "test.npz's labels are the test split's, in order");
            }
            List<Long> labels = new ArrayList<>();
            for (long y : trainY.toLongArray()) {
                labels.add(y);
            }
            Collections.shuffle(labels, new Random(0));
            LabeledFeatures shuffled = new LabeledFeatures(trainX,
                    manager.create(labels.stream().mapToLong(Long::longValue).toArray()));
            LabeledFeatures test = new LabeledFeatures(NpzArrays.read(manager, testFeatures, "features"), testY);
            return new double[] {new LinearProbe(PROBE_EPOCHS).accuracy(shuffled, test, 10),
                new KnnClassifier(K).accuracy(shuffled, test, 10)};
        }
    }

    /** A table line names the row's features and pooling, and prints its dimension and accuracies (2 decimals). */
    private static void assertReportLine(EvalRow row, String line) {
        String[] cells = line.split("\\|");
        assertEquals(7, cells.length, line);
        assertEquals(row.features(), cells[1].strip(), line);
        assertEquals(row.pooling(), cells[2].strip(), line);
        assertEquals(row.dimension(), Long.parseLong(cells[3].strip()), line);
        assertEquals(100 * row.linearAccuracy(), percent(cells[4]), 0.005 + 1e-9, "linear: " + line);
        assertEquals(100 * row.knnAccuracy(), percent(cells[5]), 0.005 + 1e-9, "kNN: " + line);
        assertEquals(row.seconds(), Double.parseDouble(cells[6].strip()), 0.05 + 1e-9, "seconds: " + line);
    }

    private static double percent(String cell) {
        String value = cell.strip();
        assertTrue(value.endsWith("%"), cell);
        return Double.parseDouble(value.substring(0, value.length() - 1));
    }
}
