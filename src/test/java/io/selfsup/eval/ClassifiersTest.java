package io.selfsup.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class ClassifiersTest {

    /** Points around one of 4 well separated centres per class, in 16 dimensions. */
    private static LabeledFeatures blobs(NDManager manager, int n, long seedOffset, float noise) {
        manager.getEngine().setRandomSeed((int) (42 + seedOffset));
        NDArray centres = manager.eye(16).get("0:4").mul(5f);
        long[] labels = new long[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 4;
        }
        NDArray y = manager.create(labels);
        NDArray x = centres.get(y).add(manager.randomNormal(new Shape(n, 16)).mul(noise));
        return new LabeledFeatures(x, y);
    }

    @Test
    void knnAndProbeSolveSeparableData() {
        try (NDManager manager = NDManager.newBaseManager()) {
            LabeledFeatures train = blobs(manager, 400, 0, 0.5f);
            LabeledFeatures test = blobs(manager, 200, 1, 0.5f);
            assertEquals(1.0, new KnnClassifier(20).accuracy(train, test, 4), 0.01);
            assertEquals(1.0, new LinearProbe(50).accuracy(train, test, 4), 0.01);
        }
    }

    @Test
    void noiseOnlyGivesChance() {
        try (NDManager manager = NDManager.newBaseManager()) {
            manager.getEngine().setRandomSeed(3);
            long[] labels = new long[2000];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = i % 4;
            }
            LabeledFeatures train = new LabeledFeatures(manager.randomNormal(new Shape(2000, 16)),
                    manager.create(labels));
            LabeledFeatures test = new LabeledFeatures(manager.randomNormal(new Shape(2000, 16)),
                    manager.create(labels));
            double knn = new KnnClassifier(20).accuracy(train, test, 4);
            double linear = new LinearProbe(5).accuracy(train, test, 4);
            assertTrue(knn > 0.18 && knn < 0.32, "kNN on noise " + knn);
            assertTrue(linear > 0.18 && linear < 0.32, "linear on noise " + linear);
        }
    }

    @Test
    void knnWeightsCloserNeighboursMore() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // two class-1 points almost on the query's direction outvote three class-0 points further away
            NDArray x = manager.create(new float[][] {{1, 0.02f}, {1, -0.02f}, {0.6f, 0.8f}, {0.6f, -0.8f},
                {0.55f, 0.83f}});
            NDArray y = manager.create(new long[] {1, 1, 0, 0, 0});
            LabeledFeatures train = new LabeledFeatures(x, y);
            LabeledFeatures query = new LabeledFeatures(manager.create(new float[][] {{1, 0}}),
                    manager.create(new long[] {1}));
            assertEquals(1.0, new KnnClassifier(5).accuracy(train, query, 2), 0.0);
        }
    }
}
