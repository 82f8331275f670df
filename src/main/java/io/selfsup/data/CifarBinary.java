package io.selfsup.data;

import io.selfsup.SelfsupException;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
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

    /** Reads and joins the given batch files, in order, straight into one pixel array (no per-file copy). */
    public static ImageStore read(List<Path> files) {
        return read(files, CLASSES);
    }

    /** As {@link #read(List)}, with the label names of the files' batches.meta.txt. */
    public static ImageStore read(List<Path> files, List<String> classNames) {
        long[] records = new long[files.size()];
        long total = 0;
        for (int i = 0; i < files.size(); i++) {
            records[i] = records(files.get(i).toString(), size(files.get(i)));
            total += records[i];
        }
        Builder builder = new Builder(total, classNames);
        for (int i = 0; i < files.size(); i++) {
            Path f = files.get(i);
            try (InputStream in = new BufferedInputStream(Files.newInputStream(f), 1 << 16)) {
                builder.append(f.toString(), in, records[i]);
            } catch (IOException e) {
                throw new SelfsupException("cannot read " + f + ": " + e.getMessage(), e);
            }
        }
        return builder.build();
    }

    /** Parses one chunk of records already in memory (a file fetched by DJL's repository, say). */
    public static ImageStore parse(String name, byte[] raw) {
        long records = records(name, raw.length);
        Builder builder = new Builder(records, CLASSES);
        try {
            builder.append(name, new ByteArrayInputStream(raw), records);
        } catch (IOException e) {
            throw new SelfsupException("cannot parse " + name + ": " + e.getMessage(), e);
        }
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

    private static final class Builder {
        private final byte[] pixels;
        private final int[] labels;
        private final List<String> classNames;
        private int n;

        Builder(long total, List<String> classNames) {
            this.classNames = classNames;
            if (total * IMAGE_BYTES > Integer.MAX_VALUE - 8) {
                throw new SelfsupException("the CIFAR files hold " + total + " images, more than one store holds; "
                        + "pass fewer files");
            }
            pixels = new byte[(int) total * IMAGE_BYTES];
            labels = new int[(int) total];
        }

        void append(String name, InputStream in, long records) throws IOException {
            for (long r = 0; r < records; r++, n++) {
                int label = in.read();
                if (label < 0 || in.readNBytes(pixels, n * IMAGE_BYTES, IMAGE_BYTES) != IMAGE_BYTES) {
                    throw new SelfsupException(name + " ends inside record " + r + "; the file is truncated");
                }
                if (label >= CLASSES.size()) {
                    throw new SelfsupException(name + ": record " + r + " has label " + label
                            + ", not 0-9; is this a CIFAR-10 binary file (not CIFAR-100)?");
                }
                labels[n] = label;
            }
        }

        ImageStore build() {
            return new ImageStore(pixels, labels, classNames, 3, SIDE, SIDE);
        }
    }
}
