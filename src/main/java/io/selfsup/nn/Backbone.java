package io.selfsup.nn;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Everything the rest of selfsup knows about one backbone: the network that turns a normalized (N, 3, S, S)
 * batch into a feature map, its PyTorch names, how a weight file holding it is recognised, the feature
 * encode/eval/kNN read from it and the text that describes it in an export. A new backbone is one class
 * implementing this and one constant of {@link BackboneType}.
 */
public interface Backbone {

    /**
     * What a weight file says about the backbone it holds.
     *
     * @param width channels of the first stage, 0 for a backbone without a width
     * @param stem the stem its first convolution's shape shows, null for a backbone without one, or when the shape is
     *             no stem selfsup builds ({@code stemKernel} tells which)
     * @param stemKernel the side of the first convolution's kernel, 0 without a stem
     */
    record Found(int width, Stem stem, long stemKernel) {}

    /** Whether the network has a width (channels of its first stage) to choose. */
    boolean hasWidth();

    /** The width used when none is asked for, on a GPU or on the CPU; 0 for a backbone without one. */
    int defaultWidth(boolean gpu);

    /** Whether the network has a {@link Stem} to choose. */
    boolean hasStem();

    /** Why the backbone cannot take square images of {@code imageSize} pixels, or null when it can. */
    String imageSizeProblem(int imageSize);

    /** A freshly built (uninitialized) backbone; {@code stem} is ignored by a backbone without one. */
    Block create(int width, Stem stem);

    /** Channels of the feature map: the size of the globally pooled feature. */
    long channels(int width);

    /** Channels, height and width of the feature map for square images of {@code imageSize} pixels. */
    Shape featureMap(int width, Stem stem, int imageSize);

    /** The PyTorch state_dict key of one of its parameters, named as DJL names them inside the backbone. */
    String torchKey(String djlName);

    /**
     * What a state_dict whose keys start with {@code prefix} holds of this backbone, or empty when those keys are not
     * this backbone's.
     *
     * @param shapeOf the shape of the tensor of a key, or null when the file has no such key
     */
    Optional<Found> recognise(Function<String, long[]> shapeOf, String prefix);

    /** The feature ssl-encode, ssl-eval's default row and the kNN monitor read from the feature map. */
    Pooling defaultPooling();

    /** The feature ssl-train's kNN monitor reads after every epoch. */
    Pooling monitorPooling();

    /** The poolings ssl-eval scores when none is asked for. */
    List<Pooling> evalPoolings();

    /** The PyTorch architecture of the backbone at {@code width}, as an export's metadata states it. */
    String architecture(int width, Stem stem);
}
