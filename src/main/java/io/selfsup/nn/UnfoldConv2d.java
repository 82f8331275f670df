package io.selfsup.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.UniformInitializer;
import ai.djl.util.PairList;

/**
 * {@code torch.nn.Conv2d} (groups 1, dilation 1) computed as unfold (im2col) + one matrix product. For a
 * layer with very few input channels, such as the encoder's first on RGB images, the engine's convolution
 * spends most of its time in a badly shaped weight-gradient kernel; the unfolded form turns it into one
 * ordinary GEMM. Weight layout (out, in, kH, kW) and initialization are PyTorch's.
 */
public final class UnfoldConv2d extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int inChannels;
    private final int outChannels;
    private final int kernel;
    private final int stride;
    private final int padding;
    private final Parameter weight;
    private final Parameter bias;

    public UnfoldConv2d(int inChannels, int outChannels, int kernel, int stride, int padding) {
        super(VERSION);
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        float bound = (float) (1.0 / Math.sqrt((double) inChannels * kernel * kernel));
        weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(outChannels, inChannels, kernel, kernel))
                .optInitializer(new UniformInitializer(bound)).build());
        bias = addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS)
                .optShape(new Shape(outChannels))
                .optInitializer(new UniformInitializer(bound)).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray w = BatchScope.view(x, store.getValue(weight, x.getDevice(), training));
        NDArray b = BatchScope.view(x, store.getValue(bias, x.getDevice(), training));
        return new NDList(conv(x, w, b));
    }

    NDArray conv(NDArray x, NDArray w, NDArray b) {
        Shape in = x.getShape();
        long n = in.get(0);
        int outH = outputSize((int) in.get(2));
        int outW = outputSize((int) in.get(3));
        NDArray padded = padding > 0 ? x.pad(new Shape(padding, padding, padding, padding), 0) : x;
        NDList taps = new NDList(kernel * kernel);
        for (int kh = 0; kh < kernel; kh++) {
            for (int kw = 0; kw < kernel; kw++) {
                taps.add(padded.get(":, :, " + kh + ":" + (kh + stride * (outH - 1) + 1) + ":" + stride + ", "
                        + kw + ":" + (kw + stride * (outW - 1) + 1) + ":" + stride));
            }
        }
        // (N, C, k*k, OH, OW) -> (N, C*k*k, OH*OW); rows ordered (c, kh, kw) like the weight's
        NDArray columns = NDArrays.stack(taps, 2).reshape(n, (long) inChannels * kernel * kernel, (long) outH * outW);
        NDArray y = w.reshape(outChannels, -1).matMul(columns).reshape(n, outChannels, outH, outW);
        return y.add(b.reshape(1, outChannels, 1, 1));
    }

    private int outputSize(int in) {
        return (in + 2 * padding - kernel) / stride + 1;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        Shape in = inputs[0];
        return new Shape[] {new Shape(in.get(0), outChannels, outputSize((int) in.get(2)), outputSize((int) in.get(3)))};
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        // shapes are fixed at construction
    }
}
