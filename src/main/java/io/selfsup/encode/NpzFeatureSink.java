package io.selfsup.encode;

import ai.djl.ndarray.NDArray;
import io.selfsup.data.ImageStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * features.npz: {@code features} float32 (N, D) streamed as it comes, then {@code labels} int64 (N) and
 * {@code class_names} when the images have labels, {@code split} int8 (0 train, 1 test) when there are both, and
 * {@code paths} for image folders. DJL's NPZ encoder would need every array in memory and has no string arrays.
 */
final class NpzFeatureSink implements FeatureSink {

    private final StreamingNpzWriter npz;

    NpzFeatureSink(Path file, long images, long dimension) throws IOException {
        npz = new StreamingNpzWriter(Files.newOutputStream(file));
        try {
            npz.begin("features", "<f4", images, dimension);
        } catch (IOException e) {
            npz.close();
            throw e;
        }
    }

    @Override
    public void accept(ImageStore part, int split, int first, NDArray rows) throws IOException {
        npz.writeFloats(rows);
    }

    @Override
    public void finish(List<ImageStore> parts) throws IOException {
        int images = parts.stream().mapToInt(ImageStore::size).sum();
        boolean labelled = parts.stream().allMatch(ImageStore::hasLabels);
        if (labelled) {
            long[] labels = new long[images];
            int i = 0;
            for (ImageStore part : parts) {
                for (int j = 0; j < part.size(); j++) {
                    labels[i++] = part.label(j);
                }
            }
            npz.begin("labels", "<i8", images);
            npz.writeLongs(labels);
        }
        if (parts.size() > 1) {
            byte[] split = new byte[images];
            int i = 0;
            for (int p = 0; p < parts.size(); p++) {
                for (int j = 0; j < parts.get(p).size(); j++) {
                    split[i++] = (byte) p;
                }
            }
            npz.begin("split", "|i1", images);
            npz.write(ByteBuffer.wrap(split));
        }
        List<String> classNames = parts.get(0).classNames();
        if (labelled && !classNames.isEmpty()) {
            npz.writeStrings("class_names", classNames);
        }
        if (parts.stream().allMatch(p -> p.paths() != null)) {
            npz.writeStrings("paths", parts.stream().flatMap(p -> p.paths().stream()).toList());
        }
    }

    @Override
    public void close() throws IOException {
        npz.close();
    }
}
