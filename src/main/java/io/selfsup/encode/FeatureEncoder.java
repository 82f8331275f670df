package io.selfsup.encode;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import io.selfsup.data.BatchLoader;
import io.selfsup.data.EpochOrder;
import io.selfsup.data.ImageStore;
import io.selfsup.nn.Autoencoder;
import io.selfsup.nn.Encoder;
import io.selfsup.train.RunDirectory;
import java.nio.file.Path;

/** The frozen encoder of a trained (or, as a baseline, freshly initialized) autoencoder, turning images into features. */
public final class FeatureEncoder implements AutoCloseable {

    private final NDManager manager;
    private final Encoder encoder;
    private final ParameterStore store;
    private final Device device;

    private FeatureEncoder(NDManager manager, Autoencoder net, Device device) {
        this.manager = manager;
        this.encoder = net.encoder();
        this.store = new ParameterStore(manager, false);
        this.device = device;
    }

    /** The encoder of the parameters in {@code checkpoint} (model.params or checkpoints/epoch-NNNN.params). */
    public static FeatureEncoder fromCheckpoint(Path checkpoint, Device device) {
        NDManager manager = NDManager.newBaseManager(device);
        Autoencoder net = new Autoencoder();
        net.initialize(manager, DataType.FLOAT32, Autoencoder.inputShape(1));
        RunDirectory.readParameters(checkpoint, net, manager);
        return new FeatureEncoder(manager, net, device);
    }

    /** An untrained encoder with PyTorch's default initialization: the baseline training must beat. */
    public static FeatureEncoder randomlyInitialized(int seed, Device device) {
        Engine.getInstance().setRandomSeed(seed);
        NDManager manager = NDManager.newBaseManager(device);
        Autoencoder net = new Autoencoder();
        net.initialize(manager, DataType.FLOAT32, Autoencoder.inputShape(1));
        return new FeatureEncoder(manager, net, device);
    }

    /** Encodes a normalized (N, 3, 32, 32) batch to (N, 128, 8, 8). */
    public NDArray encode(NDArray images) {
        return encoder.forward(store, new NDList(images), false).singletonOrThrow();
    }

    /** Encodes every image of {@code images} in order, handing (n, D) feature batches to {@code consumer}. */
    public void encodeAll(ImageStore images, Pooling pooling, int batchSize, FeatureConsumer consumer) {
        BatchLoader loader = new BatchLoader(images, batchSize);
        int[] order = EpochOrder.sequential(images.size());
        for (int from = 0; from < images.size(); from += batchSize) {
            int to = Math.min(images.size(), from + batchSize);
            try (NDManager batch = manager.newSubManager()) {
                NDArray x = loader.load(batch, order, from, to, device);
                consumer.accept(pooling.apply(encode(x)), from);
            }
        }
    }

    public long dimension(Pooling pooling) {
        return pooling.dimension(Encoder.CHANNELS, 8, 8);
    }

    @Override
    public void close() {
        manager.close();
    }
}
