package io.selfsup.encode;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.selfsup.files.AtomicFiles;
import io.selfsup.SelfsupException;
import io.selfsup.files.TempFiles;
import io.selfsup.data.DataSource;
import io.selfsup.data.DataSources;
import io.selfsup.data.ImageStore;
import io.selfsup.data.Split;
import io.selfsup.engine.DeviceSelector;
import io.selfsup.engine.EngineSettings;
import io.selfsup.engine.NativeLibrary;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ssl-encode: images -> features.npz with {@code features} float32 (N, D) and, when the source has labels,
 * {@code labels} int64 (N) and {@code class_names} (unicode strings, indexed by label); with --split all also
 * {@code split} int8 (0 train, 1 test); for image folders {@code paths}, each image's path relative to --data.
 * The file appears
 * only when complete (temporary name, then rename) and an existing one is kept unless --overwrite.
 */
public final class EncodeJob {

    private static final Logger LOG = LoggerFactory.getLogger(EncodeJob.class);

    private EncodeJob() {}

    /** Figures of a finished encoding. */
    public record Result(Path out, long images, long dimension, double seconds) {
        public double imagesPerSecond() {
            return images / seconds;
        }
    }

    public static Result run(EncodeConfig config) {
        EngineSettings.apply(0);
        if (Files.exists(config.out()) && !config.overwrite()) {
            throw new SelfsupException(config.out() + " exists; pass --overwrite to replace it, or another --out");
        }
        Device device = DeviceSelector.single(config.device(), Engine.getInstance().getGpuCount());
        LOG.info("encoding on {} (--device {}); {}", device, config.device().name().toLowerCase(Locale.ROOT),
                NativeLibrary.describe(Engine.getInstance()));
        List<ImageStore> parts = new ArrayList<>();
        try (DataSource source = DataSources.open(config.data())) {
            if (config.split() != EncodeConfig.EncodeSplit.TEST) {
                parts.add(source.load(Split.TRAIN));
            }
            boolean test = config.split() == EncodeConfig.EncodeSplit.TEST
                    || (config.split() == EncodeConfig.EncodeSplit.ALL && source.has(Split.TEST));
            if (test) {
                parts.add(source.load(Split.TEST));
            }
        }
        long images = parts.stream().mapToLong(ImageStore::size).sum();
        boolean labelled = parts.stream().allMatch(ImageStore::hasLabels);
        Path tmp = TempFiles.register(config.out().resolveSibling(config.out().getFileName() + ".tmp"));
        long start = System.nanoTime();
        try (FeatureEncoder encoder = FeatureEncoder.fromCheckpoint(config.model(), device)) {
            long dim = encoder.dimension(config.pooling());
            try (OutputStream os = Files.newOutputStream(tmp)) {
                write(os, encoder, parts, config, images, dim, labelled);
            }
            AtomicFiles.replace(tmp, config.out());
            return new Result(config.out(), images, dim, (System.nanoTime() - start) / 1e9);
        } catch (IOException e) {
            throw new SelfsupException("cannot write " + config.out() + ": " + e.getMessage(), e);
        } finally {
            TempFiles.delete(tmp);
        }
    }

    /**
     * Streams the arrays into the archive batch by batch, so memory stays bounded. DJL's NPZ encoder would
     * need every array in memory and has no string arrays (class_names, paths), so it is not used.
     */
    private static void write(OutputStream os, FeatureEncoder encoder, List<ImageStore> parts,
                                       EncodeConfig config, long images, long dim, boolean labelled) throws IOException {
        try (StreamingNpzWriter npz = new StreamingNpzWriter(os)) {
            npz.begin("features", "<f4", images, dim);
            for (int i = 0; i < parts.size(); i++) {
                encoder.encodeAll(parts.get(i), config.pooling(), config.batchSize(), label(config, i), (rows, first) -> {
                    try {
                        npz.writeFloats(rows);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
            if (labelled) {
                npz.begin("labels", "<i8", images);
                npz.writeLongs(labels(parts));
            }
            if (parts.size() > 1) {
                npz.begin("split", "|i1", images);
                npz.write(ByteBuffer.wrap(splits(parts)));
            }
            List<String> classNames = parts.get(0).classNames();
            if (labelled && !classNames.isEmpty()) {
                npz.writeStrings("class_names", classNames);
            }
            List<String> paths = paths(parts);
            if (paths != null) {
                npz.writeStrings("paths", paths);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** The progress line's name of part {@code i}: train before test. */
    private static String label(EncodeConfig config, int i) {
        return "encoding " + (config.split() == EncodeConfig.EncodeSplit.TEST || i > 0 ? "test" : "train") + " split";
    }

    /** The images' source paths in output order, or null when a part has none (CIFAR). */
    private static List<String> paths(List<ImageStore> parts) {
        if (parts.stream().anyMatch(p -> p.paths() == null)) {
            return null;
        }
        return parts.stream().flatMap(p -> p.paths().stream()).toList();
    }

    private static long[] labels(List<ImageStore> parts) {
        long[] labels = new long[parts.stream().mapToInt(ImageStore::size).sum()];
        int i = 0;
        for (ImageStore part : parts) {
            for (int j = 0; j < part.size(); j++) {
                labels[i++] = part.label(j);
            }
        }
        return labels;
    }

    private static byte[] splits(List<ImageStore> parts) {
        byte[] split = new byte[parts.stream().mapToInt(ImageStore::size).sum()];
        int i = 0;
        for (int p = 0; p < parts.size(); p++) {
            for (int j = 0; j < parts.get(p).size(); j++) {
                split[i++] = (byte) p;
            }
        }
        return split;
    }
}
