package io.selfsup.predict;

import ai.djl.modality.cv.Image;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Batchifier;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import io.selfsup.data.BatchLoader;
import io.selfsup.data.SquareImage;
import java.nio.ByteBuffer;

/**
 * An image to its feature vector with a run's own preprocessing: the centre square resized to the run's image size
 * as training on a folder does, normalized as every method's batches are; batches of images stack. The size comes
 * from the model a run directory loads as ({@link FeatureBlock#imageSize()}), 32 for any other block.
 */
public final class FeatureTranslator implements Translator<Image, float[]> {

    @Override
    public NDList processInput(TranslatorContext ctx, Image input) {
        int side = ctx.getBlock() instanceof FeatureBlock block ? block.imageSize() : SquareImage.SIDE;
        int bytes = 3 * side * side;
        byte[] planes = new byte[bytes];
        SquareImage.toPlanes(input, side, planes, 0);
        // DJL takes over a direct buffer's memory instead of copying it: each image gets its own
        ByteBuffer direct = ByteBuffer.allocateDirect(bytes).put(planes).flip();
        NDArray pixels = ctx.getNDManager().create(direct, new Shape(3, side, side), DataType.UINT8);
        return new NDList(BatchLoader.normalize(pixels));
    }

    @Override
    public float[] processOutput(TranslatorContext ctx, NDList list) {
        return list.singletonOrThrow().toFloatArray();
    }

    @Override
    public Batchifier getBatchifier() {
        return Batchifier.STACK;
    }
}
