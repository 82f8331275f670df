package io.selfsup.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.selfsup.data.ImageStore;
import io.selfsup.encode.FeatureEncoder;
import io.selfsup.encode.FeatureMatrix;
import io.selfsup.nn.Pooling;
import io.selfsup.eval.KnnClassifier;
import io.selfsup.eval.LabeledFeatures;
import io.selfsup.method.MethodConfig;
import io.selfsup.method.PretextMethod;

/**
 * Watches features improve: after each epoch, a weighted kNN (k 20, cosine) of the current backbone's
 * globally average-pooled features, training-split images as neighbours of test images. Labels are only read here, never trained on.
 * Subsets keep it cheap: {@link #NEIGHBOURS} training and {@link #QUERIES} test images cost a few % of a
 * CIFAR-10 epoch (one inference pass over 6,000 images against training passes over 50,000 in two views).
 */
final class KnnMonitor {

    static final int NEIGHBOURS = 5000;
    static final int QUERIES = 1000;

    private final ImageStore neighbours;
    private final ImageStore queries;
    private final PretextMethod method;
    private final MethodConfig config;
    private final int batchSize;
    private final int classes;

    private KnnMonitor(ImageStore neighbours, ImageStore queries, PretextMethod method, MethodConfig config,
                       int batchSize) {
        this.neighbours = neighbours;
        this.queries = queries;
        this.method = method;
        this.config = config;
        this.batchSize = batchSize;
        this.classes = Math.max(neighbours.classNames().size(), maxLabel(neighbours) + 1);
    }

    /** A monitor, or null when either split is missing or unlabelled. */
    static KnnMonitor create(ImageStore train, ImageStore test, PretextMethod method, MethodConfig config,
                             int batchSize) {
        if (test == null || !train.hasLabels() || !test.hasLabels() || test.size() == 0) {
            return null;
        }
        return new KnnMonitor(train.first(NEIGHBOURS), test.first(QUERIES), method, config, batchSize);
    }

    double accuracy(NDManager parent, Device device) {
        Pooling pooling = config.backbone().monitorPooling();
        try (NDManager manager = parent.newSubManager(device);
             FeatureEncoder encoder = FeatureEncoder.ofBackbone(method.backbone(),
                     config.featureMap(), parent, device)) {
            LabeledFeatures train = features(manager, encoder, pooling, neighbours);
            LabeledFeatures test = features(manager, encoder, pooling, queries);
            return new KnnClassifier(KnnClassifier.DEFAULT_K).accuracy(train, test, classes);
        }
    }

    private LabeledFeatures features(NDManager manager, FeatureEncoder encoder, Pooling pooling, ImageStore images) {
        NDArray features = FeatureMatrix.allocate(manager, images.size(), encoder.dimension(pooling));
        FeatureMatrix.fill(features, 0, encoder, images, pooling, batchSize, null);
        return new LabeledFeatures(features, FeatureMatrix.labels(manager, images));
    }

    private static int maxLabel(ImageStore images) {
        int max = 0;
        for (int i = 0; i < images.size(); i++) {
            max = Math.max(max, images.label(i));
        }
        return max;
    }
}
