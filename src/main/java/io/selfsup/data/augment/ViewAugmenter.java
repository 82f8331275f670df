package io.selfsup.data.augment;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.selfsup.data.ImageStore;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Makes augmented views on the CPU, with torchvision's tensor semantics on float images in [0, 1] (ToTensor,
 * then resized_crop, hflip, ColorJitter's adjust_* in the drawn order, rgb_to_grayscale, solarize(0.5)),
 * followed by Normalize(0.5, 0.5). DJL's own random image transforms are not used: RandomColorJitter,
 * RandomHue and RandomFlipLeftRight are not implemented by its PyTorch engine.
 *
 * <p>Per-image work is a few thousand scalar operations, far below the cost of dispatching tensor ops per
 * image on the device, and each image draws its own crop, which batched tensor code cannot express without
 * a per-image loop anyway. Arithmetic follows PyTorch's float32 order of operations, so views match
 * torchvision to rounding (the fixture tests hold it to 1e-5).
 *
 * <p>Batches are reproducible: image i of a batch draws from its own generator seeded by
 * (batchSeed, i), so the result does not depend on how many threads do the work. Parallel streams run in
 * the calling ForkJoinPool, or the common pool, which is how callers choose the thread count.
 */
public final class ViewAugmenter {

    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
    private static final float R = 0.2989f;
    private static final float G = 0.587f;
    private static final float B = 0.114f;

    private final AugmentationRecipe recipe;
    private final int size;
    private final int maxBatch;
    private final float[] staging;
    private final ByteBuffer direct;
    private final FloatBuffer directFloats;
    private byte[] source = new byte[0];

    /**
     * @param recipe how views are drawn
     * @param outputSize side of the square views (32 for CIFAR)
     * @param maxBatch the largest batch {@link #load} will be asked for; sizes the reusable buffers
     */
    public ViewAugmenter(AugmentationRecipe recipe, int outputSize, int maxBatch) {
        if (outputSize <= 0 || maxBatch <= 0) {
            throw new IllegalArgumentException("output size and batch must be positive, got " + outputSize + ", "
                    + maxBatch);
        }
        this.recipe = recipe;
        this.size = outputSize;
        this.maxBatch = maxBatch;
        this.staging = new float[maxBatch * viewFloats()];
        this.direct = ByteBuffer.allocateDirect(staging.length * Float.BYTES).order(ByteOrder.nativeOrder());
        this.directFloats = direct.asFloatBuffer();
    }

    /** Floats in one view: 3 * outputSize * outputSize. */
    public int viewFloats() {
        return 3 * size * size;
    }

    /**
     * The seed of one batch of one view: distinct for every (seed, epoch, batch, view), so the two views of
     * an image differ and every epoch draws afresh.
     */
    public static long batchSeed(long seed, int epoch, int batch, int view) {
        return mix(mix(mix(mix(seed) + epoch) + batch) + view);
    }

    /**
     * Views of images order[from..to) as a float32 (n, 3, outputSize, outputSize) array on {@code device},
     * normalized to [-1, 1]. Reuses this augmenter's buffers: not for concurrent calls.
     */
    public NDArray load(NDManager manager, ImageStore store, int[] order, int from, int to, long batchSeed,
                        Device device) {
        int n = to - from;
        if (n <= 0 || n > maxBatch) {
            throw new IllegalArgumentException("batch of " + n + " images, this augmenter holds 1.." + maxBatch);
        }
        augment(store, order, from, to, batchSeed, staging);
        directFloats.clear();
        directFloats.put(staging, 0, n * viewFloats());
        direct.clear().limit(n * viewFloats() * Float.BYTES);
        NDArray wrapped = manager.create(direct, new Shape(n, 3, size, size), DataType.FLOAT32);
        // PyTorch's engine wraps the direct buffer without copying, and the next batch overwrites it.
        NDArray views = device.equals(wrapped.getDevice()) ? wrapped.duplicate() : wrapped.toDevice(device, false);
        wrapped.close();
        return views;
    }

    /**
     * The CPU half of {@link #load}: views of order[from..to) written to dst from offset 0, in parallel.
     * Reuses this augmenter's source buffer: not for concurrent calls.
     */
    public void augment(ImageStore store, int[] order, int from, int to, long batchSeed, float[] dst) {
        int bytes = store.imageBytes();
        if (source.length < (to - from) * bytes) {
            source = new byte[Math.max(to - from, maxBatch) * bytes];
        }
        byte[] src = source;
        int floats = viewFloats();
        IntStream.range(0, to - from).parallel().forEach(i -> {
            store.copyImage(order[from + i], src, i * bytes);
            SplittableRandom random = new SplittableRandom(mix(batchSeed + GOLDEN_GAMMA * (i + 1)));
            ViewParameters p = ViewParameters.sample(recipe, random, store.height(), store.width());
            apply(p, src, i * bytes, store.channels(), store.height(), store.width(), dst, i * floats);
        });
    }

    /**
     * One view of one uint8 (C, H, W) image (C = 1 is read as three equal channels), written to
     * dst[dstOffset..] as normalized float (3, outputSize, outputSize).
     */
    public void apply(ViewParameters p, byte[] src, int srcOffset, int channels, int height, int width,
                      float[] dst, int dstOffset) {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("images need 1 or 3 channels, got " + channels);
        }
        if (p.top() + p.cropHeight() > height || p.left() + p.cropWidth() > width) {
            throw new IllegalArgumentException("crop " + p.cropHeight() + "x" + p.cropWidth() + " at (" + p.top()
                    + ", " + p.left() + ") leaves the " + height + "x" + width + " image");
        }
        resizedCrop(p, src, srcOffset, channels, height, width, dst, dstOffset);
        if (p.jitter()) {
            for (ViewParameters.JitterOp op : p.jitterOrder()) {
                switch (op) {
                    case BRIGHTNESS -> brightness(dst, dstOffset, (float) p.brightness());
                    case CONTRAST -> contrast(dst, dstOffset, p.contrast());
                    case SATURATION -> saturation(dst, dstOffset, p.saturation());
                    case HUE -> hue(dst, dstOffset, (float) p.hue());
                }
            }
        }
        int plane = size * size;
        int end = dstOffset + 3 * plane;
        if (p.grayscale()) {
            for (int k = dstOffset; k < dstOffset + plane; k++) {
                float l = gray(dst, k, plane);
                dst[k] = l;
                dst[k + plane] = l;
                dst[k + 2 * plane] = l;
            }
        }
        if (p.blurSigma() > 0) {
            gaussianBlur(dst, dstOffset, p.blurSigma());
        }
        for (int k = dstOffset; k < end; k++) {
            float v = dst[k];
            if (p.solarize() && v >= 0.5f) {
                v = 1f - v;
            }
            dst[k] = (v - 0.5f) / 0.5f;
        }
    }

    /**
     * torchvision's gaussian_blur on a tensor: a kernel of {@link AugmentationRecipe#blurKernel} taps, exp(-x^2 /
     * (2 sigma^2)) at x = -(k - 1) / 2 .. (k - 1) / 2 normalized to sum 1 in float32, each channel padded by
     * reflection (torch's "reflect": the edge pixel is not repeated). torchvision convolves with the outer product
     * of the kernel with itself; the same sum taken as a row pass then a column pass costs 2k multiply-adds a pixel
     * instead of k^2 (18 against 81 at 96 pixels) and differs by rounding only (at most 9.5e-7 on the fixtures).
     */
    private void gaussianBlur(float[] img, int offset, double sigma) {
        int k = Math.min(AugmentationRecipe.blurKernel(size), size % 2 == 1 ? size : size - 1);
        int half = k / 2;
        float[] kernel = new float[k];
        float sum = 0;
        float s = (float) sigma;
        for (int i = 0; i < k; i++) {
            // linspace(-half, half, k) in float32 is the integers -half..half; pdf = exp(-0.5 * (x / sigma)^2)
            float z = (i - half) / s;
            kernel[i] = (float) Math.exp(-0.5f * (z * z));
            sum += kernel[i];
        }
        for (int i = 0; i < k; i++) {
            kernel[i] /= sum;
        }
        int plane = size * size;
        float[] rows = new float[plane];
        for (int c = 0; c < 3; c++) {
            int base = offset + c * plane;
            for (int y = 0; y < size; y++) {
                int line = base + y * size;
                for (int x = 0; x < size; x++) {
                    float acc = 0;
                    for (int j = 0; j < k; j++) {
                        acc += kernel[j] * img[line + reflect(x + j - half)];
                    }
                    rows[y * size + x] = acc;
                }
            }
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    float acc = 0;
                    for (int i = 0; i < k; i++) {
                        acc += kernel[i] * rows[reflect(y + i - half) * size + x];
                    }
                    img[base + y * size + x] = acc;
                }
            }
        }
    }

    private int reflect(int i) {
        return i < 0 ? -i : i >= size ? 2 * size - 2 - i : i;
    }

    /**
     * Crop, bilinear resize (align_corners=False, no antialias: torch's upsample_bilinear2d index and weight
     * arithmetic in float) and, when drawn, the flip, which only moves where each output column lands.
     */
    private void resizedCrop(ViewParameters p, byte[] src, int srcOffset, int channels, int height, int width,
                             float[] dst, int dstOffset) {
        int ch = p.cropHeight();
        int cw = p.cropWidth();
        float scaleY = (float) ch / size;
        float scaleX = (float) cw / size;
        int plane = size * size;
        int channelStride = channels == 1 ? 0 : height * width;
        int base = srcOffset + p.top() * width + p.left();
        for (int oy = 0; oy < size; oy++) {
            float ry = Math.max(scaleY * (oy + 0.5f) - 0.5f, 0f);
            int y0 = (int) ry;
            float ly = ry - y0;
            int y1 = y0 < ch - 1 ? y0 + 1 : y0;
            int row0 = base + y0 * width;
            int row1 = base + y1 * width;
            for (int ox = 0; ox < size; ox++) {
                float rx = Math.max(scaleX * (ox + 0.5f) - 0.5f, 0f);
                int x0 = (int) rx;
                float lx = rx - x0;
                int x1 = x0 < cw - 1 ? x0 + 1 : x0;
                int out = dstOffset + oy * size + (p.flip() ? size - 1 - ox : ox);
                for (int c = 0; c < 3; c++) {
                    int r0 = row0 + c * channelStride;
                    int r1 = row1 + c * channelStride;
                    float top = pixel(src, r0 + x0) * (1f - lx) + pixel(src, r0 + x1) * lx;
                    float bottom = pixel(src, r1 + x0) * (1f - lx) + pixel(src, r1 + x1) * lx;
                    dst[out + c * plane] = top * (1f - ly) + bottom * ly;
                }
            }
        }
    }

    /** ToTensor's x / 255 in float, as torchvision divides before resizing. */
    private static float pixel(byte[] src, int index) {
        return (src[index] & 0xFF) / 255f;
    }

    /** adjust_brightness: blend with black, i.e. x * f, clamped. */
    private void brightness(float[] img, int offset, float f) {
        for (int k = offset; k < offset + 3 * size * size; k++) {
            img[k] = clamp(f * img[k]);
        }
    }

    /** adjust_contrast: blend with the mean of the grayscale image. */
    private void contrast(float[] img, int offset, double factor) {
        int plane = size * size;
        double sum = 0;
        for (int k = offset; k < offset + plane; k++) {
            sum += gray(img, k, plane);
        }
        float mean = (float) (sum / plane);
        float f = (float) factor;
        float rest = (float) (1.0 - factor) * mean;
        for (int k = offset; k < offset + 3 * plane; k++) {
            img[k] = clamp(f * img[k] + rest);
        }
    }

    /** adjust_saturation: blend each pixel with its grayscale value. */
    private void saturation(float[] img, int offset, double factor) {
        int plane = size * size;
        float f = (float) factor;
        float g = (float) (1.0 - factor);
        for (int k = offset; k < offset + plane; k++) {
            float rest = g * gray(img, k, plane);
            img[k] = clamp(f * img[k] + rest);
            img[k + plane] = clamp(f * img[k + plane] + rest);
            img[k + 2 * plane] = clamp(f * img[k + 2 * plane] + rest);
        }
    }

    /**
     * adjust_hue: torchvision's _rgb2hsv, a shift of h modulo 1 (torch.remainder), _hsv2rgb, step for step in
     * float. A zero shift is skipped: torchvision never calls it with hue jitter 0, and the round trip is not
     * exactly the identity.
     */
    private void hue(float[] img, int offset, float shift) {
        if (shift == 0f) {
            return;
        }
        int plane = size * size;
        for (int k = offset; k < offset + plane; k++) {
            float r = img[k];
            float g = img[k + plane];
            float b = img[k + 2 * plane];
            float maxc = Math.max(r, Math.max(g, b));
            float minc = Math.min(r, Math.min(g, b));
            boolean eqc = maxc == minc;
            float cr = maxc - minc;
            float s = cr / (eqc ? 1f : maxc);
            float crDivisor = eqc ? 1f : cr;
            float rc = (maxc - r) / crDivisor;
            float gc = (maxc - g) / crDivisor;
            float bc = (maxc - b) / crDivisor;
            float h;
            if (maxc == r) {
                h = bc - gc;
            } else if (maxc == g) {
                h = 2f + rc - bc;
            } else {
                h = 4f + gc - rc;
            }
            h = (h / 6f + 1f) % 1f;
            h = (h + shift) % 1f;
            if (h < 0) {
                h += 1f;
            }
            float i = (float) Math.floor(h * 6f);
            float f = h * 6f - i;
            float v = maxc;
            float pp = clamp(v * (1f - s));
            float q = clamp(v * (1f - s * f));
            float t = clamp(v * (1f - s * (1f - f)));
            switch (((int) i) % 6) {
                case 0 -> set(img, k, plane, v, t, pp);
                case 1 -> set(img, k, plane, q, v, pp);
                case 2 -> set(img, k, plane, pp, v, t);
                case 3 -> set(img, k, plane, pp, q, v);
                case 4 -> set(img, k, plane, t, pp, v);
                default -> set(img, k, plane, v, pp, q);
            }
        }
    }

    private static void set(float[] img, int k, int plane, float r, float g, float b) {
        img[k] = r;
        img[k + plane] = g;
        img[k + 2 * plane] = b;
    }

    /** rgb_to_grayscale's ITU-R 601 weights, summed in torch's order. */
    private static float gray(float[] img, int k, int plane) {
        return R * img[k] + G * img[k + plane] + B * img[k + 2 * plane];
    }

    private static float clamp(float v) {
        return Math.min(Math.max(v, 0f), 1f);
    }

    /** SplitMix64's finalizer: consecutive inputs give unrelated outputs. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
