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
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ssl-encode: images -> features in an .npz ({@link NpzFeatureSink}) or, for a name ending in .parquet, a Parquet
 * file of one row per image ({@link ParquetFeatureSink}). The file appears only when complete (temporary name, then
 * rename) and an existing one is kept unless --overwrite.
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
        Path tmp = TempFiles.register(config.out().resolveSibling(config.out().getFileName() + ".tmp"));
        long start = System.nanoTime();
        try (FeatureEncoder encoder = FeatureEncoder.fromCheckpoint(config.model(), device)) {
            long dim = encoder.dimension(config.pooling());
            write(tmp, encoder, parts, config, images, dim);
            AtomicFiles.replace(tmp, config.out());
            return new Result(config.out(), images, dim, (System.nanoTime() - start) / 1e9);
        } catch (IOException e) {
            throw new SelfsupException("cannot write " + config.out() + ": " + e.getMessage(), e);
        } finally {
            TempFiles.delete(tmp);
        }
    }

    /**
     * Whether {@code file} is Parquet rather than .npz: its name ends in .parquet, or it is a directory (the Spark
     * job's part files).
     */
    public static boolean isParquet(Path file) {
        return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".parquet") || Files.isDirectory(file);
    }

    /** Streams the features into the file batch by batch, so memory stays bounded. */
    private static void write(Path tmp, FeatureEncoder encoder, List<ImageStore> parts, EncodeConfig config,
                              long images, long dim) throws IOException {
        try (FeatureSink open = isParquet(config.out())
                ? new ParquetFeatureSink(tmp, runName(config.model()), metadata(config, parts))
                : new NpzFeatureSink(tmp, images, dim)) {
            for (int i = 0; i < parts.size(); i++) {
                ImageStore part = parts.get(i);
                int split = config.split() == EncodeConfig.EncodeSplit.TEST ? 1 : i;
                encoder.encodeAll(part, config.pooling(), config.batchSize(), label(config, i), (rows, first) -> {
                    try {
                        open.accept(part, split, first, rows);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
            open.finish(parts);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** The run a file's rows name: the run directory's name, else the parameters file's. */
    private static String runName(TrainedModel model) {
        return (model.runDir() != null ? model.runDir() : model.parameters()).getFileName().toString();
    }

    /** What a Parquet file says about its rows in its key-value metadata. */
    private static Map<String, String> metadata(EncodeConfig config, List<ImageStore> parts) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("selfsup.version", io.selfsup.SelfsupVersion.VALUE);
        m.put("selfsup.run", config.model().runDir() == null ? "" : config.model().runDir().toString());
        m.put("selfsup.model", config.model().parameters().toString());
        m.put("selfsup.method", ai.djl.util.JsonUtils.GSON.toJson(config.model().method().toMap()));
        m.put("selfsup.pool", config.pooling().name().toLowerCase(Locale.ROOT));
        m.put("selfsup.image_size", Integer.toString(config.model().method().imageSize()));
        m.put("selfsup.class_names", ai.djl.util.JsonUtils.GSON.toJson(parts.get(0).classNames()));
        return m;
    }

    /** The progress line's name of part {@code i}: train before test. */
    private static String label(EncodeConfig config, int i) {
        return "encoding " + (config.split() == EncodeConfig.EncodeSplit.TEST || i > 0 ? "test" : "train") + " split";
    }
}
