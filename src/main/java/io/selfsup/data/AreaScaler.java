package io.selfsup.data;

/**
 * Resizes a square of ARGB pixels by area averaging, the filter of AWT's {@code Image.SCALE_SMOOTH}
 * ({@code AreaAveragingScaleFilter}, what DJL's {@code Image.resize} runs): the source is thought enlarged by the
 * destination's side and the destination by the source's, and each output pixel is the mean of the source area it
 * covers. AWT's filter streams every pixel through an ImageProducer and took 0.7 ms for
 * a 96-pixel image that needs no resizing and 7 ms for a 375-pixel one; this is the same sum, separable (the weights
 * are products of a row's and a column's overlap) and over plain arrays. On opaque pictures it differs from AWT's
 * only by the rounding of AWT's float sums; alpha is left out (AWT weighs colours by it), as Pillow's
 * {@code convert("RGB")} leaves it out.
 */
final class AreaScaler {

    private AreaScaler() {}

    /**
     * Writes the R, G and B planes of {@code rgb} ({@code from} x {@code from}, row-major, alpha ignored) resized to
     * {@code to} x {@code to} at {@code offset} of {@code dst}.
     */
    static void toPlanes(int[] rgb, int from, int to, byte[] dst, int offset) {
        if (from == to) {
            copyPlanes(rgb, dst, offset);
            return;
        }
        Taps taps = new Taps(from, to);
        int plane = to * to;
        // one destination row at a time: the source rows it covers summed column by column (contiguous, the bulk of
        // the work), then those sums reduced to the destination's columns
        float[] r = new float[from];
        float[] g = new float[from];
        float[] b = new float[from];
        for (int i = 0; i < to; i++) {
            java.util.Arrays.fill(r, 0);
            java.util.Arrays.fill(g, 0);
            java.util.Arrays.fill(b, 0);
            for (int k = 0; k < taps.count[i]; k++) {
                float weight = taps.weight[i * taps.stride + k];
                int row = (taps.start[i] + k) * from;
                for (int x = 0; x < from; x++) {
                    int c = rgb[row + x];
                    r[x] += weight * ((c >> 16) & 0xFF);
                    g[x] += weight * ((c >> 8) & 0xFF);
                    b[x] += weight * (c & 0xFF);
                }
            }
            int p = offset + i * to;
            for (int j = 0; j < to; j++) {
                int at = taps.start[j];
                int w = j * taps.stride;
                float sr = 0;
                float sg = 0;
                float sb = 0;
                for (int k = 0; k < taps.count[j]; k++) {
                    float weight = taps.weight[w + k];
                    sr += weight * r[at + k];
                    sg += weight * g[at + k];
                    sb += weight * b[at + k];
                }
                dst[p + j] = clamp(sr);
                dst[p + plane + j] = clamp(sg);
                dst[p + 2 * plane + j] = clamp(sb);
            }
        }
    }

    /** Area averaging at the same size is the identity. */
    private static void copyPlanes(int[] rgb, byte[] dst, int offset) {
        int plane = rgb.length;
        for (int p = 0; p < plane; p++) {
            dst[offset + p] = (byte) (rgb[p] >> 16);
            dst[offset + plane + p] = (byte) (rgb[p] >> 8);
            dst[offset + 2 * plane + p] = (byte) rgb[p];
        }
    }

    private static byte clamp(float value) {
        int v = Math.round(value);
        return (byte) (v < 0 ? 0 : v > 255 ? 255 : v);
    }

    /**
     * Which source pixels each destination pixel covers along one axis, and how much: in units where a source pixel
     * is {@code to} long and a destination pixel {@code from}, source pixel i is [i * to, (i + 1) * to) and
     * destination pixel j is [j * from, (j + 1) * from); its weight is the overlap over {@code from}, so a
     * destination pixel's weights add up to 1.
     */
    private static final class Taps {
        final int[] start;
        final int[] count;
        final float[] weight;
        /** Destination pixel j's weights are weight[j * stride] to weight[j * stride + count[j] - 1]. */
        final int stride;

        Taps(int from, int to) {
            stride = from / to + 2;
            start = new int[to];
            count = new int[to];
            weight = new float[to * stride];
            for (int j = 0; j < to; j++) {
                long lo = (long) j * from;
                long hi = lo + from;
                start[j] = (int) (lo / to);
                int last = (int) ((hi - 1) / to);
                count[j] = last - start[j] + 1;
                for (int i = start[j]; i <= last; i++) {
                    long overlap = Math.min(hi, (long) (i + 1) * to) - Math.max(lo, (long) i * to);
                    weight[j * stride + i - start[j]] = (float) ((double) overlap / from);
                }
            }
        }
    }
}
