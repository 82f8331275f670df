package io.selfsup.data;

import java.util.Arrays;
import java.util.List;

/**
 * Images kept as uint8, channel-major (C, H, W) per image: in one contiguous array (a quarter of the memory of
 * float32 and no per-image objects), or in a file read image by image ({@link PixelFile}), for folders larger than
 * memory. Normalization happens later, per batch, on the device.
 */
public final class ImageStore {

    /** Where the images' bytes are: {@code imageBytes} per image, image after image. */
    public interface Pixels {

        /** Images held. */
        int count();

        /** Copies image {@code index} into {@code dst} at {@code offset}. */
        void copy(int index, byte[] dst, int offset);

        /** The first {@code n} of them. */
        Pixels first(int n);
    }

    /** Pixels in one array in memory. */
    private record ArrayPixels(byte[] bytes, int imageBytes) implements Pixels {

        @Override
        public int count() {
            return bytes.length / imageBytes;
        }

        @Override
        public void copy(int index, byte[] dst, int offset) {
            System.arraycopy(bytes, index * imageBytes, dst, offset, imageBytes);
        }

        @Override
        public Pixels first(int n) {
            return new ArrayPixels(Arrays.copyOf(bytes, n * imageBytes), imageBytes);
        }
    }

    private final Pixels pixels;
    private final int[] labels;
    private final List<String> classNames;
    private final List<String> paths;
    private final int count;
    private final int channels;
    private final int height;
    private final int width;

    /**
     * @param pixels count * channels * height * width bytes, image after image, each (C, H, W)
     * @param labels one label per image, or null when the source has none
     * @param classNames label names indexed by label, possibly empty
     */
    public ImageStore(byte[] pixels, int[] labels, List<String> classNames, int channels, int height, int width) {
        this(pixels, labels, classNames, channels, height, width, null);
    }

    /** @param paths where each image came from (relative to the data folder), or null */
    public ImageStore(byte[] pixels, int[] labels, List<String> classNames, int channels, int height, int width,
                      List<String> paths) {
        this(arrayPixels(pixels, channels, height, width), labels, classNames, channels, height, width, paths);
    }

    /** @param pixels count() images of channels * height * width bytes each */
    public ImageStore(Pixels pixels, int[] labels, List<String> classNames, int channels, int height, int width,
                      List<String> paths) {
        this.count = pixels.count();
        if (labels != null && labels.length != count) {
            throw new IllegalArgumentException(count + " images but " + labels.length + " labels");
        }
        this.pixels = pixels;
        this.labels = labels;
        if (paths != null && paths.size() != count) {
            throw new IllegalArgumentException(count + " images but " + paths.size() + " paths");
        }
        this.classNames = List.copyOf(classNames);
        this.paths = paths == null ? null : List.copyOf(paths);
        this.channels = channels;
        this.height = height;
        this.width = width;
    }

    public int size() {
        return count;
    }

    public int channels() {
        return channels;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    public int imageBytes() {
        return channels * height * width;
    }

    public boolean hasLabels() {
        return labels != null;
    }

    public int label(int index) {
        return labels[index];
    }

    public List<String> classNames() {
        return classNames;
    }

    /** Source paths of the images, relative to the data folder; null for sources without files (CIFAR). */
    public List<String> paths() {
        return paths;
    }

    /** Copies image {@code index} into {@code dst} at {@code offset}. */
    public void copyImage(int index, byte[] dst, int offset) {
        pixels.copy(index, dst, offset);
    }

    /** The first {@code n} images (all of them when n >= size). */
    public ImageStore first(int n) {
        if (n >= count) {
            return this;
        }
        return new ImageStore(pixels.first(n), labels == null ? null : Arrays.copyOf(labels, n), classNames, channels,
                height, width, paths == null ? null : paths.subList(0, n));
    }

    private static Pixels arrayPixels(byte[] pixels, int channels, int height, int width) {
        int imageBytes = channels * height * width;
        if (imageBytes <= 0 || pixels.length % imageBytes != 0) {
            throw new IllegalArgumentException("pixel array of " + pixels.length + " bytes is not a whole number of "
                    + channels + "x" + height + "x" + width + " images");
        }
        return new ArrayPixels(pixels, imageBytes);
    }
}
