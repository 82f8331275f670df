package io.selfsup.encode;

import io.selfsup.nn.Pooling;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.selfsup.SelfsupException;
import io.selfsup.data.BatchLoader;
import io.selfsup.data.DataSources;
import io.selfsup.data.DataSpec;
import io.selfsup.data.ImageStore;
import io.selfsup.data.Split;
import io.selfsup.nn.Autoencoder;
import io.selfsup.run.ParameterFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class EncodeJobTest {

    static final Path MINI = Path.of("data", "cifar10-mini");

    @TempDir
    static Path shared;
    static TrainedModel checkpoint;

    @BeforeAll
    static void writeACheckpoint() {
        Path file = shared.resolve("model.params");
        Autoencoder net = new Autoencoder();
        try (NDManager manager = NDManager.newBaseManager()) {
            net.initialize(manager, DataType.FLOAT32, Autoencoder.inputShape(1));
            ParameterFiles.write(file, net);
        }
        checkpoint = TrainedModel.ofFile(file);
    }

    private static EncodeConfig config(EncodeConfig.EncodeSplit split, Pooling pooling, Path out) {
        return new EncodeConfig(checkpoint, DataSpec.of(MINI), split, pooling, 100, out, false);
    }

    /** A 1-D NumPy unicode array ('<Un', UTF-32 code points padded with zeros) of an .npz, as NumPy reads it. */
    public static List<String> strings(Path npz, String name) throws IOException {
        try (ZipFile zip = new ZipFile(npz.toFile())) {
            byte[] npy = zip.getInputStream(zip.getEntry(name + ".npy")).readAllBytes();
            int headerLength = (npy[8] & 0xff) | (npy[9] & 0xff) << 8;
            String header = new String(npy, 10, headerLength, StandardCharsets.US_ASCII);
            Matcher m = Pattern.compile("'descr': '<U(\\d+)'.*'shape': \\((\\d+),\\)").matcher(header);
            assertTrue(m.find(), header);
            int width = Integer.parseInt(m.group(1));
            int count = Integer.parseInt(m.group(2));
            List<String> values = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String v = new String(npy, 10 + headerLength + i * 4 * width, 4 * width, Charset.forName("UTF-32LE"));
                values.add(v.replace("\0", ""));
            }
            return values;
        }
    }

    @Test
    void writesFeaturesLabelsAndClassNamesWithShapesAndTypes(@TempDir Path tmp) throws IOException {
        Path out = tmp.resolve("f.npz");
        EncodeJob.run(config(EncodeConfig.EncodeSplit.TEST, Pooling.FLATTEN, out));
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray features = NpzArrays.read(manager, out, "features");
            NDArray labels = NpzArrays.read(manager, out, "labels");
            assertArrayEquals(new long[] {500, 8192}, features.getShape().getShape());
            assertEquals(DataType.FLOAT32, features.getDataType());
            assertArrayEquals(new long[] {500}, labels.getShape().getShape());
            assertEquals(DataType.INT64, labels.getDataType());
            ImageStore test = DataSources.open(MINI).load(Split.TEST);
            assertEquals(test.label(7), labels.getLong(7));
        }
        assertEquals(Files.readAllLines(MINI.resolve("batches.meta.txt")).stream().filter(l -> !l.isBlank()).toList(),
                strings(out, "class_names"), "CIFAR-10's names, from batches.meta.txt");
    }

    @Test
    void featuresEqualADirectForwardPassOfTheEncoder(@TempDir Path tmp) throws IOException {
        Path out = tmp.resolve("f.npz");
        EncodeJob.run(config(EncodeConfig.EncodeSplit.TEST, Pooling.AVG, out));
        ImageStore test = DataSources.open(MINI).load(Split.TEST);
        try (NDManager manager = NDManager.newBaseManager();
             FeatureEncoder encoder = FeatureEncoder.fromCheckpoint(checkpoint, Device.cpu())) {
            NDArray features = NpzArrays.read(manager, out, "features");
            NDArray image = new BatchLoader(test, 1).load(manager, new int[] {123}, 0, 1, Device.cpu());
            NDArray direct = encoder.encode(image);
            assertArrayEquals(new long[] {1, 128, 8, 8}, direct.getShape().getShape());
            float[] expected = direct.reshape(128, 64).mean(new int[] {1}).toFloatArray();
            float[] got = features.get(123).toFloatArray();
            for (int i = 0; i < 128; i++) {
                assertEquals(expected[i], got[i], 1e-5f * Math.max(1f, Math.abs(expected[i])), "channel " + i);
            }
        }
    }

    /** The numeric arrays are what DJL's own NumPy decoder reads (it stops at string arrays, so they are left out). */
    @Test
    void djlsNumpyDecoderReadsTheNumericArrays(@TempDir Path tmp) throws IOException {
        Path out = tmp.resolve("f.npz");
        EncodeJob.run(config(EncodeConfig.EncodeSplit.ALL, Pooling.FLATTEN, out));
        Path numeric = tmp.resolve("numeric.npz");
        try (ZipFile zip = new ZipFile(out.toFile());
             ZipOutputStream copy = new ZipOutputStream(Files.newOutputStream(numeric))) {
            for (String name : new String[] {"features", "labels", "split"}) {
                copy.putNextEntry(new ZipEntry(name + ".npy"));
                zip.getInputStream(zip.getEntry(name + ".npy")).transferTo(copy);
                copy.closeEntry();
            }
        }
        try (NDManager manager = NDManager.newBaseManager(); InputStream is = Files.newInputStream(numeric)) {
            NDList djl = NDList.decode(manager, is);
            for (String name : new String[] {"features", "labels", "split"}) {
                NDArray ours = NpzArrays.read(manager, out, name);
                assertEquals(ours.getShape(), djl.get(name).getShape(), name);
                assertEquals(ours.getDataType(), djl.get(name).getDataType(), name);
                assertTrue(ours.contentEquals(djl.get(name)), name);
            }
            assertArrayEquals(new long[] {1500, 8192}, djl.get("features").getShape().getShape());
            assertEquals(1, djl.get("split").getByte(1499));
            assertEquals(0, djl.get("split").getByte(999));
        }
    }

    @Test
    void imageFoldersGetTheirPathsWritten(@TempDir Path tmp) throws IOException {
        Path root = io.selfsup.data.ImageFolderSourceTest.classFolders(tmp);
        Path out = tmp.resolve("f.npz");
        EncodeJob.Result r = EncodeJob.run(new EncodeConfig(checkpoint, DataSpec.of(root),
                EncodeConfig.EncodeSplit.ALL, Pooling.AVG, 100, out, false));
        assertEquals(6, r.images());
        assertEquals(List.of("cats", "dogs"), strings(out, "class_names"), "the class folders' names");
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(out.toFile())) {
            byte[] npy = zip.getInputStream(zip.getEntry("paths.npy")).readAllBytes();
            String header = new String(npy, 10, 118, java.nio.charset.StandardCharsets.US_ASCII);
            assertTrue(header.contains("'descr': '<U16'") && header.contains("'shape': (6,)"), header);
            String first = new String(npy, 128, 16 * 4, java.nio.charset.Charset.forName("UTF-32LE")).strip();
            assertEquals("train/cats/a.png", first.replace("\0", ""));
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            assertArrayEquals(new long[] {6, 128}, NpzArrays.read(manager, out, "features").getShape().getShape());
            assertEquals(1, NpzArrays.read(manager, out, "labels").getLong(5));
            assertEquals(null, NpzArrays.read(manager, out, "nothing"));
        }
    }

    /** Every column of every row of a Parquet file, through parquet-java's own generic reader. */
    private static List<org.apache.parquet.example.data.Group> parquetRows(Path file) throws IOException {
        List<org.apache.parquet.example.data.Group> rows = new ArrayList<>();
        try (org.apache.parquet.hadoop.ParquetFileReader reader = org.apache.parquet.hadoop.ParquetFileReader.open(
                new org.apache.parquet.io.LocalInputFile(file), org.apache.parquet.ParquetReadOptions.builder(
                        new org.apache.parquet.conf.PlainParquetConfiguration()).build())) {
            org.apache.parquet.schema.MessageType schema = reader.getFooter().getFileMetaData().getSchema();
            org.apache.parquet.column.page.PageReadStore pages;
            while ((pages = reader.readNextRowGroup()) != null) {
                var records = new org.apache.parquet.io.ColumnIOFactory().getColumnIO(schema).getRecordReader(pages,
                        new org.apache.parquet.example.data.simple.convert.GroupRecordConverter(schema));
                for (long r = 0; r < pages.getRowCount(); r++) {
                    rows.add(records.read());
                }
            }
        }
        return rows;
    }

    /**
     * --out FILE.parquet: one row per image with the .npz's features (bit for bit), label, class name, split and
     * path, and the run's name; ssl-eval's reader gives back the same (N, D) features and labels.
     */
    @Test
    void aParquetFileHoldsTheNpzsFeaturesOneRowPerImage(@TempDir Path tmp) throws IOException {
        Path root = io.selfsup.data.ImageFolderSourceTest.classFolders(tmp);
        Path npz = tmp.resolve("f.npz");
        Path parquet = tmp.resolve("f.parquet");
        for (Path out : List.of(npz, parquet)) {
            EncodeJob.run(new EncodeConfig(checkpoint, DataSpec.of(root), EncodeConfig.EncodeSplit.ALL, Pooling.AVG,
                    4, out, false));
        }
        List<String> paths = strings(npz, "paths");
        List<org.apache.parquet.example.data.Group> rows = parquetRows(parquet);
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] features = NpzArrays.read(manager, npz, "features").toFloatArray();
            long[] labels = NpzArrays.read(manager, npz, "labels").toLongArray();
            byte[] split = NpzArrays.read(manager, npz, "split").toByteArray();
            assertEquals(6, rows.size(), "a row per image");
            for (int i = 0; i < rows.size(); i++) {
                var row = rows.get(i);
                assertEquals(paths.get(i), row.getString("path", 0));
                assertEquals(labels[i], row.getInteger("label", 0));
                assertEquals(List.of("cats", "dogs").get((int) labels[i]), row.getString("class", 0));
                assertEquals(split[i] == 0 ? "train" : "test", row.getString("split", 0));
                assertEquals("model.params", row.getString("run", 0), "a parameters file outside a run: its name");
                var list = row.getGroup("features", 0);
                assertEquals(128, list.getFieldRepetitionCount("list"));
                for (int d = 0; d < 128; d++) {
                    assertEquals(Float.floatToIntBits(features[i * 128 + d]),
                            Float.floatToIntBits(list.getGroup("list", d).getFloat("element", 0)), "row " + i + " " + d);
                }
            }
            ParquetFeatures.Read read = ParquetFeatures.read(manager, parquet);
            assertArrayEquals(new long[] {6, 128}, read.features().getShape().getShape());
            assertArrayEquals(features, read.features().toFloatArray());
            assertArrayEquals(labels, read.labels().toLongArray());
        }
    }

    @Test
    void aFileThatIsNoFeatureParquetIsAOneLineError(@TempDir Path tmp) throws IOException {
        Path bad = Files.writeString(tmp.resolve("x.parquet"), "not parquet");
        try (NDManager manager = NDManager.newBaseManager()) {
            SelfsupException e = assertThrows(SelfsupException.class, () -> ParquetFeatures.read(manager, bad));
            assertTrue(e.getMessage().startsWith("cannot read features from " + bad), e.getMessage());
        }
    }

    @Test
    void refusesToOverwriteUnlessAsked(@TempDir Path tmp) throws IOException {
        Path out = tmp.resolve("f.npz");
        Files.writeString(out, "precious");
        SelfsupException e = assertThrows(SelfsupException.class,
                () -> EncodeJob.run(config(EncodeConfig.EncodeSplit.TEST, Pooling.AVG, out)));
        assertTrue(e.getMessage().contains("--overwrite"), e.getMessage());
        assertEquals("precious", Files.readString(out));
        EncodeJob.run(new EncodeConfig(checkpoint, DataSpec.of(MINI), EncodeConfig.EncodeSplit.TEST, Pooling.AVG, 100,
                out, true));
        try (NDManager manager = NDManager.newBaseManager()) {
            assertArrayEquals(new long[] {500, 128}, NpzArrays.read(manager, out, "features").getShape().getShape());
        }
    }

    @Test
    void badDataLeavesNoFileBehind(@TempDir Path tmp) {
        Path out = tmp.resolve("f.npz");
        assertThrows(SelfsupException.class, () -> EncodeJob.run(new EncodeConfig(checkpoint,
                DataSpec.of(tmp.resolve("none")), EncodeConfig.EncodeSplit.ALL, Pooling.AVG, 100, out, false)));
        assertFalse(Files.exists(out));
        assertFalse(Files.exists(tmp.resolve("f.npz.tmp")));
    }

    /** On a GPU machine this runs the encoder on the CPU while the engine's default device is the GPU. */
    @Test
    void theEncodersParametersAndFeaturesLiveOnTheChosenDevice() {
        Device chosen = Device.cpu();
        try (FeatureEncoder encoder = FeatureEncoder.fromCheckpoint(checkpoint, chosen);
             NDManager manager = NDManager.newBaseManager(chosen)) {
            encoder.backbone().getParameters().values().forEach(p ->
                    assertEquals(chosen, p.getArray().getDevice(), "parameter " + p.getName()));
            ImageStore images = DataSources.open(MINI).load(Split.TEST).first(4);
            NDArray x = new BatchLoader(images, 4).load(manager, io.selfsup.data.EpochOrder.sequential(4), 0, 4,
                    chosen);
            assertEquals(chosen, encoder.encode(x).getDevice());
        }
    }

    @Test
    void gpuWithoutOneIsAClearErrorAndWritesNothing(@TempDir Path tmp) {
        org.junit.jupiter.api.Assumptions.assumeTrue(ai.djl.engine.Engine.getInstance().getGpuCount() == 0,
                "this machine has a GPU");
        Path out = tmp.resolve("f.npz");
        SelfsupException e = assertThrows(SelfsupException.class, () -> EncodeJob.run(new EncodeConfig(checkpoint,
                DataSpec.of(MINI), EncodeConfig.EncodeSplit.TEST, Pooling.AVG, 100, out, false,
                io.selfsup.engine.DeviceMode.GPU)));
        assertTrue(e.getMessage().contains("--device gpu"), e.getMessage());
        assertFalse(Files.exists(out));
    }
}
