package io.selfsup.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.loss.Loss;
import io.selfsup.data.augment.ViewPlan;
import io.selfsup.nn.TorchSequential;
import java.awt.image.BufferedImage;
import java.util.function.Function;

/**
 * A pretext task: the networks it trains, the views of each image it feeds them and the loss it minimizes.
 * The training loop owns everything else (epochs, optimizer, checkpoints, devices), so a new method is one
 * class implementing this.
 */
public interface PretextMethod {

    /**
     * Everything the method keeps, as one block: the trainer optimizes its parameters that require gradients
     * and a checkpoint holds all of them (a frozen EMA target included). Its forward takes the views.
     */
    Block network();

    /** The part of {@link #network()} whose feature map is the learned representation. */
    Block backbone();

    /**
     * How each view of an image is made, global views first, then the local ones; {@link ViewPlan#NONE} means one
     * view, the image itself, normalized and unaugmented (the autoencoder's input and target).
     */
    ViewPlan views();

    /** The loss of {@link #network()}'s output; the "labels" it is given are the views themselves. */
    Loss loss();

    /**
     * Whether the loss of a batch is the mean of per-image losses, so the batch may be split across devices.
     * Contrastive losses compare every image with every other one and are not.
     */
    boolean lossSplitsOverImages();

    /**
     * The PyTorch state_dict key of a parameter of {@link #network()}: its heads' modules are nn.Sequential
     * ("projector.0.weight"), its backbone keeps its own names under its attribute ("backbone.conv1.weight").
     */
    default String torchKey(String djlName) {
        return TorchSequential.torchName(djlName);
    }

    /** Called once after a new network is initialized (not on resume, whose weights come from a checkpoint). */
    default void afterInitialize() {}

    /** Called after every optimizer step; {@code step} counts from 1 over the whole run. */
    default void afterStep(long step, long totalSteps) {}

    /** Input shapes of {@link #network()} for a batch of {@code batch} images: each view's, at its own size. */
    default Shape[] inputShapes(long batch) {
        ViewPlan plan = views();
        if (!plan.augmented()) {
            return new Shape[] {new Shape(batch, 3, plan.globalSize(), plan.globalSize())};
        }
        Shape[] shapes = new Shape[plan.count()];
        for (int v = 0; v < shapes.length; v++) {
            shapes[v] = new Shape(batch, 3, plan.size(v), plan.size(v));
        }
        return shapes;
    }

    /**
     * A picture of what the trained network does with {@code images} (normalized, on the device), or null
     * when the method has nothing to show beyond its views.
     *
     * @param evaluate the network's forward pass in inference mode
     */
    default BufferedImage resultPicture(NDArray images, Function<NDList, NDList> evaluate) {
        return null;
    }

    /** What config.json records about the loss and the method's own settings. */
    java.util.Map<String, Object> describe();
}
