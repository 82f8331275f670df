package io.selfsup.nn;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * Everything the rest of selfsup knows about one backbone: the network that turns a normalized (N, 3, 32, 32)
 * batch into a feature map, its PyTorch names, how a weight file holding it is recognised, the feature
 * encode/eval/kNN read from it and the text that describes it in an export. A new backbone is one class
 * implementing this and one constant of {@link BackboneType}.
 */
public interface Backbone {

    /** Whether the network has a width (channels of its first stage) to choose. */
    boolean hasWidth();

    /** The width used when none is asked for, on a GPU or on the CPU; 0 for a backbone without one. */
    int defaultWidth(boolean gpu);

    /** A freshly built (uninitialized) backbone. */
    Block create(int width);

    /** Channels, height and width of the feature map for a 32 x 32 input. */
    Shape featureMap(int width);

    /** The PyTorch state_dict key of one of its parameters, named as DJL names them inside the backbone. */
    String torchKey(String djlName);

    /**
     * The width of this backbone in a state_dict whose keys start with {@code prefix} (0 for a backbone without
     * one), or empty when those keys are not this backbone's.
     *
     * @param shapeOf the shape of the tensor of a key, or null when the file has no such key
     */
    OptionalInt recognise(Function<String, long[]> shapeOf, String prefix);

    /** The feature ssl-encode, ssl-eval's default row and the kNN monitor read from the feature map. */
    Pooling defaultPooling();

    /** The feature ssl-train's kNN monitor reads after every epoch. */
    Pooling monitorPooling();

    /** The poolings ssl-eval scores when none is asked for. */
    List<Pooling> evalPoolings();

    /** The PyTorch architecture of the backbone at {@code width}, as an export's metadata states it. */
    String architecture(int width);
}
