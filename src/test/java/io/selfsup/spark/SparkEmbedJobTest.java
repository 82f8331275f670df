package io.selfsup.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.selfsup.SelfsupException;
import io.selfsup.data.DataSpec;
import io.selfsup.encode.EncodeConfig;
import io.selfsup.encode.EncodeJob;
import io.selfsup.encode.EncodeJobTest;
import io.selfsup.encode.NpzArrays;
import io.selfsup.encode.TrainedModel;
import io.selfsup.nn.Autoencoder;
import io.selfsup.nn.Pooling;
import io.selfsup.run.ParameterFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark job in local mode (local[2], each task allowed one retry, 4 partitions) on a folder of class subfolders with
 * one corrupt file: a row per file; the decodable files' features equal ssl-encode's for the same paths (max |diff|
 * <= 1e-6), with the same labels and class names; the corrupt file is a row with its error and no features, counted,
 * and the job does not fail; ssl-eval's reader takes the output directory, without the corrupt file's row. The same
 * from a table of paths (a missing file counted like the corrupt one), and with a task that fails once after emitting
 * rows: its retry leaves each file's row once.
 */
class SparkEmbedJobTest {

    @TempDir
    static Path shared;
    static Path parameters;
    static SparkSession spark;

    @BeforeAll
    static void start() {
        parameters = shared.resolve("model.params");
        Autoencoder net = new Autoencoder();
        try (NDManager manager = NDManager.newBaseManager()) {
            net.initialize(manager, DataType.FLOAT32, Autoencoder.inputShape(1));
            ParameterFiles.write(parameters, net);
        }
        spark = SparkSession.builder().master("local[2,2]").appName("selfsup-test")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4").getOrCreate();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** ssl-encode's features and labels of a folder, by path relative to it. */
    private record Expected(Map<String, float[]> features, Map<String, Long> labels) {}

    private static Expected sslEncode(Path root, Path tmp) throws IOException {
        Path npz = tmp.resolve("f.npz");
        EncodeJob.run(new EncodeConfig(TrainedModel.ofFile(parameters), DataSpec.of(root),
                EncodeConfig.EncodeSplit.ALL, Pooling.AVG, 4, npz, false));
        Map<String, float[]> features = new HashMap<>();
        Map<String, Long> labels = new HashMap<>();
        try (NDManager manager = NDManager.newBaseManager()) {
            List<String> paths = EncodeJobTest.strings(npz, "paths");
            float[] values = NpzArrays.read(manager, npz, "features").toFloatArray();
            long[] classes = NpzArrays.read(manager, npz, "labels").toLongArray();
            int d = values.length / paths.size();
            for (int i = 0; i < paths.size(); i++) {
                features.put(paths.get(i), java.util.Arrays.copyOfRange(values, i * d, (i + 1) * d));
                labels.put(paths.get(i), classes[i]);
            }
        }
        return new Expected(features, labels);
    }

    /**
     * Checks every row of {@code out} against ssl-encode's: one row per path, the row of each file named in
     * {@code failing} with an error and no features, every other row with ssl-encode's features, label and class.
     */
    private static void assertRowsMatch(Path root, Path out, Expected expected, List<String> failing) {
        List<Row> rows = spark.read().parquet(out.toString()).collectAsList();
        assertEquals(expected.features().size() + failing.size(), rows.size(), "a row per file");
        String prefix = root.toUri().toString().replaceFirst("^file:///", "file:/");
        Set<String> seen = new HashSet<>();
        int compared = 0;
        for (Row row : rows) {
            String path = row.getString(row.fieldIndex("path"));
            assertTrue(path.startsWith(prefix), path + " named as Spark names files under " + prefix);
            String relative = path.substring(prefix.length());
            assertTrue(seen.add(relative), "one row for " + relative);
            assertEquals("model.params", row.getString(row.fieldIndex("run")));
            if (failing.stream().anyMatch(relative::endsWith)) {
                assertNull(row.get(row.fieldIndex("features")), "no features for a file that cannot be read");
                assertNotNull(row.getString(row.fieldIndex("error")));
                continue;
            }
            assertNull(row.get(row.fieldIndex("error")), relative);
            float[] want = expected.features().get(relative);
            assertNotNull(want, "ssl-encode encoded " + relative + " (" + path + ")");
            List<Float> got = row.getList(row.fieldIndex("features"));
            assertEquals(want.length, got.size());
            for (int i = 0; i < want.length; i++) {
                assertEquals(want[i], got.get(i), 1e-6, relative + " feature " + i);
            }
            assertEquals(expected.labels().get(relative).intValue(), row.getInt(row.fieldIndex("label")), relative);
            assertEquals(List.of("cats", "dogs").get(row.getInt(row.fieldIndex("label"))),
                    row.getString(row.fieldIndex("class")));
            compared++;
        }
        assertEquals(expected.features().size(), compared);
    }

    @Test
    void rowsEqualSslEncodesFeaturesAndACorruptFileIsCountedNotFatal(@TempDir Path tmp) throws IOException {
        Path root = io.selfsup.data.ImageFolderSourceTest.classFolders(tmp);
        Files.write(root.resolve("train/cats/broken.jpg"), new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2, 3});
        Expected expected = sslEncode(root, tmp);
        assertEquals(6, expected.features().size(), "ssl-encode skipped the corrupt file");

        Path out = tmp.resolve("embedded");
        SparkEmbedJob.Result result = SparkEmbedJob.run(spark, new EmbedConfig(parameters.toString(),
                root.toString(), null, out.toString(), Pooling.AVG, 3, 4));
        assertEquals(7, result.rows(), "a row per file");
        assertEquals(1, result.failed());
        assertTrue(result.firstFailures().get(0).contains("broken.jpg"), result.firstFailures().toString());
        assertRowsMatch(root, out, expected, List.of("broken.jpg"));
        // ssl-eval reads the output directory: the six decoded rows, the broken file's row left out
        try (NDManager manager = NDManager.newBaseManager()) {
            io.selfsup.encode.ParquetFeatures.Read read = io.selfsup.encode.ParquetFeatures.read(manager, out);
            assertEquals(new ai.djl.ndarray.types.Shape(6, 128), read.features().getShape());
            assertEquals(6, read.labels().size());
        }
    }

    @Test
    void aTableOfPathsGivesTheFolderFeaturesAndItsClassesAndAMissingFileIsCounted(@TempDir Path tmp)
            throws IOException {
        Path root = io.selfsup.data.ImageFolderSourceTest.classFolders(tmp);
        Expected expected = sslEncode(root, tmp);
        StringBuilder csv = new StringBuilder("path,class\n");
        for (String relative : expected.features().keySet()) {
            csv.append(root.resolve(relative)).append(',').append(relative.split("/")[1]).append('\n');
        }
        csv.append(root.resolve("train/cats/gone.jpg")).append(",cats\n");
        Path table = Files.writeString(tmp.resolve("paths.csv"), csv);
        Path out = tmp.resolve("embedded");
        SparkEmbedJob.Result result = SparkEmbedJob.run(spark, new EmbedConfig(parameters.toString(), null,
                table.toString(), out.toString(), Pooling.AVG, 2, 3));
        assertEquals(7, result.rows());
        assertEquals(1, result.failed(), "the missing file is its row's error");
        assertRowsMatch(root, out, expected, List.of("gone.jpg"));
    }

    @Test
    void aTaskThatFailsOnceAfterEmittingRowsLeavesEachRowOnce(@TempDir Path tmp) throws IOException {
        Path root = io.selfsup.data.ImageFolderSourceTest.classFolders(tmp);
        Expected expected = sslEncode(root, tmp);
        Path out = tmp.resolve("embedded");
        FailingFirstAttempt.FAILURES.set(0);
        SparkEmbedJob.Result result = SparkEmbedJob.run(spark, new EmbedConfig(parameters.toString(),
                root.toString(), null, out.toString(), Pooling.AVG, 1, 2), FailingFirstAttempt::new);
        assertEquals(1, FailingFirstAttempt.FAILURES.get(), "the first attempt of partition 1 failed once");
        assertEquals(6, result.rows(), "the retried task's rows once, the failed attempt's not at all");
        assertRowsMatch(root, out, expected, List.of());
    }

    /** Partition 1's first attempt emits one row, then fails; its retry runs normally. */
    private static final class FailingFirstAttempt implements MapPartitionsFunction<Row, Row> {
        static final AtomicInteger FAILURES = new AtomicInteger();
        private final MapPartitionsFunction<Row, Row> embedder;

        FailingFirstAttempt(MapPartitionsFunction<Row, Row> embedder) {
            this.embedder = embedder;
        }

        @Override
        public Iterator<Row> call(Iterator<Row> input) throws Exception {
            Iterator<Row> rows = embedder.call(input);
            TaskContext task = TaskContext.get();
            if (task.partitionId() != 1 || task.attemptNumber() > 0) {
                return rows;
            }
            return new Iterator<>() {
                private int emitted;

                @Override
                public boolean hasNext() {
                    if (emitted == 1) {
                        FAILURES.incrementAndGet();
                        throw new IllegalStateException("a task failing on purpose after its first row");
                    }
                    return rows.hasNext();
                }

                @Override
                public Row next() {
                    emitted++;
                    return rows.next();
                }
            };
        }
    }

    @Test
    void anExistingOutputIsRefusedInOneLine(@TempDir Path tmp) throws IOException {
        Path root = io.selfsup.data.ImageFolderSourceTest.classFolders(tmp);
        Path out = Files.createDirectories(tmp.resolve("out"));
        SelfsupException e = assertThrows(SelfsupException.class, () -> SparkEmbedJob.run(spark,
                new EmbedConfig(parameters.toString(), root.toString(), null, out.toString(), null, 8, 0)));
        assertTrue(e.getMessage().contains("exists"), e.getMessage());
    }
}
