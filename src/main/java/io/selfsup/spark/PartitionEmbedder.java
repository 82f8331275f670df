package io.selfsup.spark;

import ai.djl.ndarray.NDArray;
import io.selfsup.data.ImageFiles;
import io.selfsup.data.ImageStore;
import io.selfsup.data.SquareImage;
import io.selfsup.nn.Pooling;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * One partition's (path, content) rows to output rows, a batch at a time: each file decoded as ssl-train decodes a
 * folder's images (EXIF, centre square, area-average resize to the run's size), the batch encoded by the executor's
 * network and pooled as ssl-encode pools. A file that cannot be decoded becomes a row with its error and no
 * features, so one bad image never fails the job.
 */
final class PartitionEmbedder implements MapPartitionsFunction<Row, Row> {

    private final EmbedConfig config;
    private final ImageInput images;
    private final String run;

    PartitionEmbedder(EmbedConfig config, ImageInput images, String run) {
        this.config = config;
        this.images = images;
        this.run = run;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> input) {
        ExecutorModels.Loaded loaded = ExecutorModels.of(config.model());
        int side = loaded.model().method().imageSize();
        Pooling pooling = config.pooling() != null ? config.pooling()
                : loaded.model().method().backbone().defaultPooling();
        Map<String, Integer> labels = new HashMap<>();
        for (String name : images.classNames()) {
            labels.put(name, labels.size());
        }
        return new Iterator<>() {
            private final List<Row> ready = new ArrayList<>();
            private int next;

            @Override
            public boolean hasNext() {
                if (next < ready.size()) {
                    return true;
                }
                ready.clear();
                next = 0;
                if (input.hasNext()) {
                    embedBatch(input, loaded, side, pooling, labels, ready);
                }
                return !ready.isEmpty();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException();
                }
                return ready.get(next++);
            }
        };
    }

    /** Up to a batch of input rows into {@code out}, in input order. */
    private void embedBatch(Iterator<Row> input, ExecutorModels.Loaded loaded, int side, Pooling pooling,
                            Map<String, Integer> labels, List<Row> out) {
        int imageBytes = 3 * side * side;
        byte[] planes = new byte[config.batchSize() * imageBytes];
        List<String> paths = new ArrayList<>();
        List<String> classNames = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        int decoded = 0;
        while (paths.size() < config.batchSize() && input.hasNext()) {
            Row row = input.next();
            paths.add(images.path(row));
            classNames.add(images.classOf(row));
            try {
                SquareImage.toPlanes(ImageFiles.read(images.content(row)), side, planes, decoded * imageBytes);
                decoded++;
                errors.add(null);
            } catch (java.io.IOException | RuntimeException | Error e) {
                // an ImageIO plugin's Error on a crafted file is that file's failure, as when ssl-train reads it
                errors.add(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            }
        }
        float[][] features = new float[decoded][];
        if (decoded > 0) {
            ImageStore batch = new ImageStore(java.util.Arrays.copyOf(planes, decoded * imageBytes), new int[decoded],
                    List.of(), 3, side, side);
            synchronized (loaded.encoder()) {
                loaded.encoder().encodeAll(batch, pooling, config.batchSize(), null, (NDArray rows, int first) -> {
                    int dimension = (int) rows.getShape().get(1);
                    float[] values = rows.toFloatArray();
                    for (int i = 0; i < rows.getShape().get(0); i++) {
                        features[first + i] = java.util.Arrays.copyOfRange(values, i * dimension, (i + 1) * dimension);
                    }
                });
            }
        }
        int f = 0;
        for (int i = 0; i < paths.size(); i++) {
            String className = classNames.get(i);
            Integer label = className == null ? null : labels.get(className);
            float[] vector = errors.get(i) == null ? features[f++] : null;
            out.add(RowFactory.create(paths.get(i), label, label == null ? null : className,
                    vector == null ? null : boxed(vector), run,
                    errors.get(i)));
        }
    }

    /** Spark's row encoder takes an array column as boxed values. */
    private static Float[] boxed(float[] values) {
        Float[] boxed = new Float[values.length];
        for (int i = 0; i < values.length; i++) {
            boxed[i] = values[i];
        }
        return boxed;
    }
}
