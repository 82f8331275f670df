package io.selfsup.eval;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.selfsup.SelfsupException;
import io.selfsup.data.DataSource;
import io.selfsup.data.DataSources;
import io.selfsup.data.ImageStore;
import io.selfsup.data.Split;
import io.selfsup.encode.FeatureEncoder;
import io.selfsup.encode.FeatureMatrix;
import io.selfsup.encode.EncodeJob;
import io.selfsup.encode.NpzArrays;
import io.selfsup.encode.ParquetFeatures;
import io.selfsup.nn.Pooling;
import io.selfsup.engine.DeviceSelector;
import io.selfsup.engine.EngineSettings;
import io.selfsup.engine.NativeLibrary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ssl-eval: linear probe and kNN accuracy of frozen features, next to the same protocol on raw pixels and
 * on a randomly initialized encoder of the same architecture, so a user sees what training bought.
 */
public final class EvalJob {

    private static final Logger LOG = LoggerFactory.getLogger(EvalJob.class);
    private static final int RANDOM_ENCODER_SEED = 0;

    private EvalJob() {}

    public static List<EvalRow> run(EvalConfig config, Consumer<EvalRow> onRow) {
        EngineSettings.apply(0);
        Device device = DeviceSelector.single(config.device(), Engine.getInstance().getGpuCount());
        LOG.info("evaluating on {} (--device {}); {}", device, config.device().name().toLowerCase(Locale.ROOT),
                NativeLibrary.describe(Engine.getInstance()));
        List<EvalRow> rows = new ArrayList<>();
        // every feature matrix, label vector, probe and kNN vote of the run lives on this manager's device
        try (NDManager manager = NDManager.newBaseManager(device)) {
            if (config.featuresTrain() != null) {
                LabeledFeatures train = readFeatures(manager, config.featuresTrain());
                LabeledFeatures test = readFeatures(manager, config.featuresTest());
                if (train.dimension() != test.dimension()) {
                    throw new SelfsupException("--features-train has " + train.dimension() + " values per image, "
                            + "--features-test " + test.dimension() + "; encode both with the same --pool");
                }
                rows.add(evaluate(config, "features file", "-", train, test, classes(train, test), 0, onRow));
                return finish(config, rows);
            }
            ImageStore trainImages;
            ImageStore testImages;
            try (DataSource source = DataSources.open(config.data())) {
                trainImages = source.load(Split.TRAIN);
                if (!trainImages.hasLabels()) {
                    throw new SelfsupException("evaluation needs labelled images, and " + source.describe()
                            + " has none: put each image in a sub-folder named after its class "
                            + "(DATA/CLASS/image.jpg, or DATA/train/CLASS/... and DATA/test/CLASS/...)");
                }
                if (!source.has(Split.TEST)) {
                    throw new SelfsupException(source.describe() + " has no test split, and evaluation trains on "
                            + "the train split and scores on the test split: " + source.howToAddTestImages());
                }
                testImages = source.load(Split.TEST);
            }
            int classes = Math.max(trainImages.classNames().size(), 1);
            NDArray trainLabels = FeatureMatrix.labels(manager, trainImages);
            NDArray testLabels = FeatureMatrix.labels(manager, testImages);
            try (FeatureEncoder trained = FeatureEncoder.fromCheckpoint(config.model(), device)) {
                for (Pooling pool : config.pools()) {
                    rows.add(encoded(config, manager, "trained encoder", trained, pool, trainImages, testImages,
                            trainLabels, testLabels, classes, onRow));
                }
            }
            if (config.baselines()) {
                try (FeatureEncoder random = FeatureEncoder.randomlyInitialized(config.model().method(), RANDOM_ENCODER_SEED, device)) {
                    for (Pooling pool : config.pools()) {
                        rows.add(encoded(config, manager, "random encoder", random, pool, trainImages, testImages,
                                trainLabels, testLabels, classes, onRow));
                    }
                }
                long start = System.nanoTime();
                try (NDManager scope = manager.newSubManager()) {
                    LabeledFeatures train = new LabeledFeatures(
                            FeatureMatrix.pixels(scope, trainImages, config.batchSize()), trainLabels);
                    LabeledFeatures test = new LabeledFeatures(
                            FeatureMatrix.pixels(scope, testImages, config.batchSize()), testLabels);
                    rows.add(evaluate(config, "raw pixels", "-", train, test, classes, start, onRow));
                }
            }
        }
        return finish(config, rows);
    }

    private static EvalRow encoded(EvalConfig config, NDManager manager, String name, FeatureEncoder encoder,
                                   Pooling pool, ImageStore trainImages, ImageStore testImages, NDArray trainLabels,
                                   NDArray testLabels, int classes, Consumer<EvalRow> onRow) {
        long start = System.nanoTime();
        try (NDManager scope = manager.newSubManager()) {
            long dim = encoder.dimension(pool);
            NDArray train = FeatureMatrix.allocate(scope, trainImages.size(), dim);
            FeatureMatrix.fill(train, 0, encoder, trainImages, pool, config.batchSize(),
                    name + " (" + pool.name().toLowerCase(Locale.ROOT) + "), train split");
            NDArray test = FeatureMatrix.allocate(scope, testImages.size(), dim);
            FeatureMatrix.fill(test, 0, encoder, testImages, pool, config.batchSize(),
                    name + " (" + pool.name().toLowerCase(Locale.ROOT) + "), test split");
            return evaluate(config, name, pool.name().toLowerCase(Locale.ROOT), new LabeledFeatures(train, trainLabels),
                    new LabeledFeatures(test, testLabels), classes, start, onRow);
        }
    }

    private static EvalRow evaluate(EvalConfig config, String name, String pool, LabeledFeatures train,
                                    LabeledFeatures test, int classes, long start, Consumer<EvalRow> onRow) {
        long t0 = start == 0 ? System.nanoTime() : start;
        double linear = new LinearProbe(config.probeEpochs()).accuracy(train, test, classes);
        double knn = new KnnClassifier(config.k()).accuracy(train, test, classes);
        EvalRow row = new EvalRow(name, pool, train.dimension(), linear, knn, (System.nanoTime() - t0) / 1e9);
        onRow.accept(row);
        return row;
    }

    private static List<EvalRow> finish(EvalConfig config, List<EvalRow> rows) {
        if (config.report() != null) {
            StringBuilder md = new StringBuilder(EvalRow.HEADER).append('\n').append(EvalRow.RULE).append('\n');
            rows.forEach(r -> md.append(r.markdown()).append('\n'));
            try {
                // written aside and renamed: on a full disk the earlier report stays whole, no half table is left
                byte[] table = md.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
                io.selfsup.files.AtomicFiles.writeDurably(config.report(), os -> os.write(table));
            } catch (IOException e) {
                throw new SelfsupException("cannot write --report " + config.report() + ": " + e.getMessage(), e);
            }
        }
        return rows;
    }

    private static LabeledFeatures readFeatures(NDManager manager, Path file) {
        if (!Files.exists(file)) {
            throw new SelfsupException(file + " does not exist; pass an .npz or .parquet written by ssl-encode");
        }
        NDArray features;
        NDArray labels;
        if (EncodeJob.isParquet(file)) {
            ParquetFeatures.Read read = ParquetFeatures.read(manager, file);
            features = read.features();
            labels = read.labels();
        } else {
            features = NpzArrays.read(manager, file, "features");
            labels = NpzArrays.read(manager, file, "labels");
        }
        if (features == null || labels == null) {
            throw new SelfsupException(file + " lacks a 'features' or 'labels' array; encode labelled data with "
                    + "ssl-encode");
        }
        return new LabeledFeatures(features.toType(DataType.FLOAT32, false), labels.toType(DataType.INT64, false));
    }

    private static int classes(LabeledFeatures train, LabeledFeatures test) {
        return (int) Math.max(train.labels().max().getLong(), test.labels().max().getLong()) + 1;
    }
}
