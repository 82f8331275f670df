package io.selfsup.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.loss.Loss;
import io.selfsup.data.augment.AugmentationRecipe;
import io.selfsup.nn.Autoencoder;
import io.selfsup.report.ReconstructionGrid;
import java.awt.image.BufferedImage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import ai.djl.Device;

/** The seed article's task, unchanged: reconstruct the normalized image through the conv/deconv autoencoder, MSE. */
final class AutoencoderMethod implements PretextMethod {

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
    public List<AugmentationRecipe> viewRecipes() {
        return List.of();
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
        return ReconstructionGrid.render(images.toDevice(Device.cpu(), false), reconstructed.toDevice(Device.cpu(), false));
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("loss", "MSE (mean over all elements)");
        m.put("views", "the normalized image itself, no augmentation");
        return m;
    }
}
