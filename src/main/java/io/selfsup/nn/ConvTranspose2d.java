package io.selfsup.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.UniformInitializer;
import ai.djl.util.PairList;

/**
 * A DJL block equal to {@code torch.nn.ConvTranspose2d} (groups 1, dilation 1, output padding 0, with a bias),
 * which DJL's PyTorch engine lacks. The weight has PyTorch's layout (in_channels, out_channels, kH, kW) and
 * PyTorch's default initialization, so checkpoints and numerics line up with the PyTorch original.
 */
public final class ConvTranspose2d extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int inChannels;
    private final int outChannels;
    private final DeconvAxis height;
    private final DeconvAxis width;
    private final ConvTransposeAlgorithm algorithm;
    private final Parameter weight;
    private final Parameter bias;

    private ConvTranspose2d(Builder b) {
        super(VERSION);
        inChannels = b.inChannels;
        outChannels = b.outChannels;
        height = new DeconvAxis(b.kernel[0], b.stride[0], b.padding[0], 0);
        width = new DeconvAxis(b.kernel[1], b.stride[1], b.padding[1], 0);
        algorithm = b.algorithm;
        // PyTorch computes fan_in of a transposed convolution's weight from its second axis (out_channels).
        float bound = (float) (1.0 / Math.sqrt((double) outChannels * b.kernel[0] * b.kernel[1]));
        weight = addParameter(Parameter.builder()
                .setName("weight")
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(inChannels, outChannels, b.kernel[0], b.kernel[1]))
                .optInitializer(new UniformInitializer(bound))
                .build());
        bias = addParameter(Parameter.builder()
                .setName("bias")
                .setType(Parameter.Type.BIAS)
                .optShape(new Shape(outChannels))
                .optInitializer(new UniformInitializer(bound))
                .build());
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        if (x.getShape().dimension() != 4 || x.getShape().get(1) != inChannels) {
            throw new IllegalArgumentException("ConvTranspose2d expects (N, " + inChannels + ", H, W), got "
                    + x.getShape());
        }
        NDArray w = BatchScope.view(x, store.getValue(weight, x.getDevice(), training));
        NDArray b = BatchScope.view(x, store.getValue(bias, x.getDevice(), training));
        return new NDList(algorithm.apply(x, w, b, height, width));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        Shape in = inputs[0];
        return new Shape[] {new Shape(in.get(0), outChannels,
                height.outputSize((int) in.get(2)), width.outputSize((int) in.get(3)))};
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        // shapes are fixed at construction
    }

    @Override
    public String toString() {
        return "ConvTranspose2d(" + inChannels + ", " + outChannels + ", kernel=(" + height.kernel() + ", "
                + width.kernel() + "), stride=(" + height.stride() + ", " + width.stride() + "), padding=("
                + height.padding() + ", " + width.padding() + "), output_padding=(" + height.outputPadding()
                + ", " + width.outputPadding() + "))";
    }

    /** Builds a {@link ConvTranspose2d}; kernel, stride and padding as (height, width). */
    public static final class Builder {
        private int inChannels;
        private int outChannels;
        private int[] kernel;
        private int[] stride = {1, 1};
        private int[] padding = {0, 0};
        private ConvTransposeAlgorithm algorithm = new ShuffleConvTranspose();

        private Builder() {}

        public Builder setChannels(int in, int out) {
            this.inChannels = in;
            this.outChannels = out;
            return this;
        }

        public Builder setKernel(int kh, int kw) {
            this.kernel = new int[] {kh, kw};
            return this;
        }

        public Builder optStride(int sh, int sw) {
            this.stride = new int[] {sh, sw};
            return this;
        }

        public Builder optPadding(int ph, int pw) {
            this.padding = new int[] {ph, pw};
            return this;
        }

        public Builder optAlgorithm(ConvTransposeAlgorithm algorithm) {
            this.algorithm = algorithm;
            return this;
        }

        public ConvTranspose2d build() {
            if (inChannels < 1 || outChannels < 1 || kernel == null) {
                throw new IllegalArgumentException("ConvTranspose2d needs channels and a kernel size");
            }
            return new ConvTranspose2d(this);
        }
    }
}
