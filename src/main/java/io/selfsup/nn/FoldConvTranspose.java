package io.selfsup.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;

/**
 * Transposed convolution the way PyTorch's own CPU kernel computes it: one matrix product of the kernel with
 * every input pixel (columns), then a fold (col2im) that adds each column into the output pixels it reaches.
 * The product does exactly the operation's multiply-adds (when the kernel is a multiple of the stride) and
 * is one large, well-shaped GEMM even for few output channels; the fold costs memory traffic instead.
 *
 * <p>Kernel taps k = j * stride + r (r < stride) are grouped so the fold is a sum over j of shifted blocks,
 * each holding all stride phases r, followed by one pixel shuffle that interleaves the phases.
 */
public final class FoldConvTranspose implements ConvTransposeAlgorithm {

    @Override
    public String toString() {
        return getClass().getSimpleName();
    }

    @Override
    public long multiplyAdds(Shape input, long outChannels, DeconvAxis height, DeconvAxis width) {
        return input.get(0) * input.get(1) * outChannels * input.get(2) * input.get(3)
                * taps(height) * height.stride() * taps(width) * width.stride();
    }

    private static int taps(DeconvAxis axis) {
        return (axis.kernel() + axis.stride() - 1) / axis.stride();
    }

    @Override
    public NDArray apply(NDArray x, NDArray weight, NDArray bias, DeconvAxis height, DeconvAxis width) {
        Shape in = x.getShape();
        long n = in.get(0);
        long cin = in.get(1);
        int h = (int) in.get(2);
        int w = (int) in.get(3);
        long cout = weight.getShape().get(1);
        int sh = height.stride();
        int sw = width.stride();
        int jh = taps(height);
        int jw = taps(width);
        long phaseRows = cout * sh * sw;

        // (C_in, C_out, kH, kW) -> rows ordered (jh, jw, C_out, rh, rw): each (jh, jw) block is contiguous
        NDArray k = weight;
        int extraH = jh * sh - height.kernel();
        int extraW = jw * sw - width.kernel();
        if (extraH > 0 || extraW > 0) {
            k = k.pad(new Shape(0, extraW, 0, extraH), 0);
        }
        NDArray rows = k.reshape(cin, cout, jh, sh, jw, sw)
                .transpose(2, 4, 1, 3, 5, 0)
                .reshape((long) jh * jw * phaseRows, cin);

        NDArray columns = rows.matMul(x.reshape(n, cin, (long) h * w));   // (N, jh*jw*rows, H*W)
        NDList blocks = columns.split(jh * jw, 1);
        NDArray grid = null;
        for (int a = 0; a < jh; a++) {
            for (int b = 0; b < jw; b++) {
                // block (a, b) lands on phase-grid cells (i + a, j + b)
                NDArray shifted = blocks.get(a * jw + b).reshape(n, phaseRows, h, w)
                        .pad(new Shape(b, jw - 1 - b, a, jh - 1 - a), 0);
                grid = grid == null ? shifted : grid.add(shifted);
            }
        }
        int qh = h + jh - 1;
        int qw = w + jw - 1;
        NDArray y = interleave(grid, n, cout, sh, sw, qh, qw);

        int outH = height.outputSize(h);
        int outW = width.outputSize(w);
        int top = height.padding();
        int left = width.padding();
        y = ConvTransposeAlgorithm.padOrCrop(y, -top, (outH + top) - qh * sh, -left, (outW + left) - qw * sw);
        return ConvTransposeAlgorithm.addBias(y, bias);
    }

    /** (N, C*sh*sw, Qh, Qw) with channels (c, rh, rw) -> (N, C, Qh*sh, Qw*sw), row q*sh + rh. */
    private static NDArray interleave(NDArray grid, long n, long c, int sh, int sw, int qh, int qw) {
        if (sh == 1 && sw == 1) {
            return grid;
        }
        return grid.reshape(n, c, sh, sw, qh, qw)
                .transpose(0, 1, 4, 2, 5, 3)
                .reshape(n, c, (long) qh * sh, (long) qw * sw);
    }
}
