package io.selfsup.data;

import io.selfsup.SelfsupException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reads CIFAR-10's official binary layout: records of 1 label byte + 3,072 pixel bytes (R, G, B planes of 32x32). */
public final class CifarBinary {

    public static final int SIDE = 32;
    public static final int IMAGE_BYTES = 3 * SIDE * SIDE;
    public static final int RECORD_BYTES = IMAGE_BYTES + 1;
    public static final List<String> CLASSES = List.of(
            "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck");

    private CifarBinary() {}

    /** Reads and joins the given batch files, in order, one file in memory at a time. */
    public static ImageStore read(List<Path> files) {
        long total = 0;
        for (Path f : files) {
            total += records(f.toString(), size(f));
        }
        Builder builder = new Builder(total);
        for (Path f : files) {
            builder.append(f.toString(), readAll(f));
        }
        return builder.build();
    }

    /** Parses one chunk of records already in memory (a file fetched by DJL's repository, say). */
    public static ImageStore parse(String name, byte[] raw) {
        Builder builder = new Builder(records(name, raw.length));
        builder.append(name, raw);
        return builder.build();
    }

    private static long records(String name, long size) {
        if (size == 0 || size % RECORD_BYTES != 0) {
            throw new SelfsupException(name + " is " + size + " bytes, not a whole number of " + RECORD_BYTES
                    + "-byte CIFAR-10 records; point --data at the cifar-10-batches-bin files");
        }
        return size / RECORD_BYTES;
    }

    private static long size(Path f) {
        try {
            return Files.size(f);
        } catch (IOException e) {
            throw new SelfsupException("cannot read " + f + ": " + e.getMessage(), e);
        }
    }

    private static byte[] readAll(Path f) {
        try {
            return Files.readAllBytes(f);
        } catch (IOException e) {
            throw new SelfsupException("cannot read " + f + ": " + e.getMessage(), e);
        }
    }

    private static final class Builder {
        private final byte[] pixels;
        private final int[] labels;
        private int n;

        Builder(long total) {
            if (total * IMAGE_BYTES > Integer.MAX_VALUE - 8) {
                throw new SelfsupException("the CIFAR files hold " + total + " images, more than one store holds; "
                        + "pass fewer files");
            }
            pixels = new byte[(int) total * IMAGE_BYTES];
            labels = new int[(int) total];
        }

        void append(String name, byte[] raw) {
            for (int off = 0; off < raw.length; off += RECORD_BYTES, n++) {
                int label = raw[off] & 0xff;
                if (label >= CLASSES.size()) {
                    throw new SelfsupException(name + ": record " + (off / RECORD_BYTES) + " has label " + label
                            + ", not 0-9; is this a CIFAR-10 binary file (not CIFAR-100)?");
                }
                labels[n] = label;
                System.arraycopy(raw, off + 1, pixels, n * IMAGE_BYTES, IMAGE_BYTES);
            }
        }

        ImageStore build() {
            return new ImageStore(pixels, labels, CLASSES, 3, SIDE, SIDE);
        }
    }
}
