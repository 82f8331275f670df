package io.selfsup.encode;

import io.selfsup.nn.Pooling;
import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.selfsup.console.ProgressLine;
import io.selfsup.data.BatchLoader;
import io.selfsup.data.EpochOrder;
import io.selfsup.data.ImageStore;
import io.selfsup.method.MethodConfig;
import io.selfsup.method.PretextMethod;
import io.selfsup.run.ParameterFiles;

/**
 * A frozen backbone (trained, or freshly initialized as a baseline) turning images into features, in
 * inference mode: batch norms use their running statistics.
 */
public final class FeatureEncoder implements AutoCloseable {

    private final NDManager manager;
    private final Block backbone;
    private final Shape featureMap;
    private final ParameterStore store;
    private final Device device;

    private FeatureEncoder(NDManager manager, Block backbone, Shape featureMap, Device device) {
        this.manager = manager;
        this.backbone = backbone;
        this.featureMap = featureMap;
        this.store = new ParameterStore(manager, false);
        this.device = device;
    }

    /** The backbone of a trained model's parameters, rebuilt from its method config. */
    public static FeatureEncoder fromCheckpoint(TrainedModel model, Device device) {
        NDManager manager = NDManager.newBaseManager(device);
        PretextMethod method = model.method().create();
        method.network().initialize(manager, DataType.FLOAT32, method.inputShapes(2));
        ParameterFiles.read(model.parameters(), method.network(), manager);
        return new FeatureEncoder(manager, method.backbone(), model.method().featureMap(), device);
    }

    /** An untrained backbone of the same architecture, as the method initializes it: the baseline to beat. */
    public static FeatureEncoder randomlyInitialized(MethodConfig config, int seed, Device device) {
        Engine.getInstance().setRandomSeed(seed);
        NDManager manager = NDManager.newBaseManager(device);
        PretextMethod method = config.create();
        method.network().initialize(manager, DataType.FLOAT32, method.inputShapes(2));
        return new FeatureEncoder(manager, method.backbone(), config.featureMap(), device);
    }

    /** A view of a backbone being trained (its parameters are read, not copied); closing it frees only its batches. */
    public static FeatureEncoder ofBackbone(Block backbone, Shape featureMap, NDManager parent, Device device) {
        return new FeatureEncoder(parent.newSubManager(device), backbone, featureMap, device);
    }

    /** Encodes a normalized (N, 3, S, S) batch to its (N, C, H, W) feature map. */
    public NDArray encode(NDArray images) {
        return backbone.forward(store, new NDList(images), false).singletonOrThrow();
    }

    /** The network whose feature map this encoder returns. */
    Block backbone() {
        return backbone;
    }

    /**
     * Encodes every image of {@code images} in order, handing (n, D) feature batches to {@code consumer}.
     *
     * @param label what a live progress line on the console calls this pass, or null for none
     */
    public void encodeAll(ImageStore images, Pooling pooling, int batchSize, String label, FeatureConsumer consumer) {
        BatchLoader loader = new BatchLoader(images, batchSize);
        int[] order = EpochOrder.sequential(images.size());
        ProgressLine progress = label == null ? null : ProgressLine.onConsole(label, images.size(), 0);
        for (int from = 0; from < images.size(); from += batchSize) {
            int to = Math.min(images.size(), from + batchSize);
            try (NDManager batch = manager.newSubManager()) {
                NDArray x = loader.load(batch, order, from, to, device);
                consumer.accept(pooling.apply(encode(x)), from);
            }
            if (progress != null && progress.due(to)) {
                progress.report(to, Double.NaN);
            }
        }
        if (progress != null) {
            progress.finish();
        }
    }

    public long dimension(Pooling pooling) {
        return pooling.dimension(featureMap);
    }

    @Override
    public void close() {
        manager.close();
    }
}
