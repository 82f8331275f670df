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
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark job in local mode (local[2], 4 partitions) on a folder of class subfolders with one corrupt file: a
 * row per file; the decodable files' features equal ssl-encode's for the same paths (max |diff| <= 1e-6), with
 * the same labels and class names; the corrupt file is a row with its error and no features, counted, and the
 * job does not fail; ssl-eval's reader takes the output directory, without the corrupt file's row.
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
        spark = SparkSession.builder().master("local[2]").appName("selfsup-test")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4").getOrCreate();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void rowsEqualSslEncodesFeaturesAndACorruptFileIsCountedNotFatal(@TempDir Path tmp) throws IOException {
        Path root = io.selfsup.data.ImageFolderSourceTest.classFolders(tmp);
        Files.write(root.resolve("train/cats/broken.jpg"), new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2, 3});
        Path npz = tmp.resolve("f.npz");
        EncodeJob.run(new EncodeConfig(TrainedModel.ofFile(parameters), DataSpec.of(root),
                EncodeConfig.EncodeSplit.ALL, Pooling.AVG, 4, npz, false));
        Map<String, float[]> expected = new HashMap<>();
        Map<String, Long> expectedLabels = new HashMap<>();
        try (NDManager manager = NDManager.newBaseManager()) {
            List<String> paths = EncodeJobTest.strings(npz, "paths");
            float[] features = NpzArrays.read(manager, npz, "features").toFloatArray();
            long[] labels = NpzArrays.read(manager, npz, "labels").toLongArray();
            int d = features.length / paths.size();
            for (int i = 0; i < paths.size(); i++) {
                expected.put(paths.get(i), java.util.Arrays.copyOfRange(features, i * d, (i + 1) * d));
                expectedLabels.put(paths.get(i), labels[i]);
            }
        }
        assertEquals(6, expected.size(), "ssl-encode skipped the corrupt file");

        Path out = tmp.resolve("embedded");
        SparkEmbedJob.Result result = SparkEmbedJob.run(spark, new EmbedConfig(parameters.toString(),
                root.toString(), out.toString(), Pooling.AVG, 3, 4));
        assertEquals(7, result.rows(), "a row per file");
        assertEquals(1, result.failed());
        assertTrue(result.firstFailures().get(0).contains("broken.jpg"), result.firstFailures().toString());

        List<Row> rows = spark.read().parquet(out.toString()).collectAsList();
        assertEquals(7, rows.size());
        String prefix = root.toUri().toString().replaceFirst("^file:///", "file:/");
        int compared = 0;
        for (Row row : rows) {
            String path = row.getString(row.fieldIndex("path"));
            String relative = path.substring(prefix.length());
            assertEquals("model.params", row.getString(row.fieldIndex("run")));
            if (relative.endsWith("broken.jpg")) {
                assertNull(row.get(row.fieldIndex("features")), "no features for a file that cannot be decoded");
                assertNotNull(row.getString(row.fieldIndex("error")));
                continue;
            }
            assertNull(row.get(row.fieldIndex("error")), relative);
            float[] want = expected.get(relative);
            assertNotNull(want, "ssl-encode encoded " + relative + " (" + path + ")");
            List<Float> got = row.getList(row.fieldIndex("features"));
            assertEquals(want.length, got.size());
            for (int i = 0; i < want.length; i++) {
                assertEquals(want[i], got.get(i), 1e-6, relative + " feature " + i);
            }
            assertEquals(expectedLabels.get(relative).intValue(), row.getInt(row.fieldIndex("label")), relative);
            assertEquals(List.of("cats", "dogs").get(row.getInt(row.fieldIndex("label"))),
                    row.getString(row.fieldIndex("class")));
            compared++;
        }
        assertEquals(6, compared);
        // ssl-eval reads the output directory: the six decoded rows, the broken file's row left out
        try (NDManager manager = NDManager.newBaseManager()) {
            io.selfsup.encode.ParquetFeatures.Read read = io.selfsup.encode.ParquetFeatures.read(manager, out);
            assertEquals(new ai.djl.ndarray.types.Shape(6, 128), read.features().getShape());
            assertEquals(6, read.labels().size());
        }
    }

    @Test
    void anExistingOutputIsRefusedInOneLine(@TempDir Path tmp) throws IOException {
        Path root = io.selfsup.data.ImageFolderSourceTest.classFolders(tmp);
        Path out = Files.createDirectories(tmp.resolve("out"));
        SelfsupException e = assertThrows(SelfsupException.class, () -> SparkEmbedJob.run(spark,
                new EmbedConfig(parameters.toString(), root.toString(), out.toString(), null, 8, 0)));
        assertTrue(e.getMessage().contains("exists"), e.getMessage());
    }
}
