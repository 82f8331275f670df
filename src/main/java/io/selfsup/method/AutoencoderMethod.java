package io.selfsup.method;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.loss.Loss;
import io.selfsup.data.augment.AugmentationRecipe;
import io.selfsup.data.augment.ViewPlan;
import io.selfsup.nn.Autoencoder;
import io.selfsup.nn.BackboneType;
import io.selfsup.optim.OptimizerConfig;
import io.selfsup.report.ReconstructionGrid;
import java.awt.image.BufferedImage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The seed article's task, unchanged: reconstruct the normalized image through the conv/deconv autoencoder,
 * MSE, Adam 1e-3, batch 64 (the article's run and selfsup's default method).
 */
public final class AutoencoderMethod implements Method {

    /** The article's run has no settings of its own. */
    public record Settings() {}

    @Override
    public String id() {
        return "autoencoder";
    }

    @Override
    public String summary() {
        return "the seed article's conv/deconv autoencoder: reconstruct the image (MSE)";
    }

    @Override
    public BackboneType defaultBackbone() {
        return BackboneType.CONV2;
    }

    @Override
    public String backboneProblem(BackboneType backbone) {
        return backbone == BackboneType.CONV2 ? null : "the autoencoder has the article's decoder, which fits the "
                + "conv2 backbone only; train " + backbone.id() + " with simclr or byol";
    }

    @Override
    public int defaultBatchSize() {
        return 64;
    }

    @Override
    public int minBatchSize() {
        return 1;
    }

    @Override
    public OptimizerConfig.Type defaultOptimizer() {
        return OptimizerConfig.Type.ADAM;
    }

    @Override
    public Record defaultSettings() {
        return new Settings();
    }

    @Override
    public List<AugmentationRecipe> defaultViews() {
        return List.of();
    }

    @Override
    public PretextMethod create(MethodConfig config) {
        return new Task();
    }

    private static final class Task implements PretextMethod {

        private final Autoencoder net = new Autoencoder();

        @Override
        public Block network() {
            return net;
        }

        @Override
        public Block backbone() {
            return net.encoder();
        }

        @Override
        public ViewPlan views() {
            return ViewPlan.NONE;
        }

        @Override
        public Loss loss() {
            return new MseLoss();
        }

        /** The article's module names: encoder.0.weight ... decoder.2.bias. */
        @Override
        public String torchKey(String djlName) {
            return Autoencoder.torchKey(djlName);
        }

        @Override
        public boolean lossSplitsOverImages() {
            return true;
        }

        @Override
        public Shape[] inputShapes(long batch) {
            return new Shape[] {Autoencoder.inputShape(batch)};
        }

        @Override
        public BufferedImage resultPicture(NDArray images, Function<NDList, NDList> evaluate) {
            NDArray reconstructed = evaluate.apply(new NDList(images)).singletonOrThrow();
            return ReconstructionGrid.render(images.toDevice(Device.cpu(), false),
                    reconstructed.toDevice(Device.cpu(), false));
        }

        @Override
        public Map<String, Object> describe() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("loss", "MSE (mean over all elements)");
            m.put("views", "the normalized image itself, no augmentation");
            return m;
        }
    }
}
