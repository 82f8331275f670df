package io.selfsup.encode;

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
import io.selfsup.data.ImageStore;
import io.selfsup.data.Split;
import io.selfsup.nn.Autoencoder;
import io.selfsup.run.RunDirectory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EncodeJobTest {

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
            RunDirectory.writeParameters(file, net);
        }
        checkpoint = TrainedModel.ofFile(file);
    }

    private static EncodeConfig config(EncodeConfig.EncodeSplit split, Pooling pooling, Path out, long inMemoryLimit) {
        return new EncodeConfig(checkpoint, MINI, split, pooling, 100, out, false, inMemoryLimit);
    }

    private static NDList read(NDManager manager, Path file) throws IOException {
        try (InputStream is = Files.newInputStream(file)) {
            return NDList.decode(manager, is);
        }
    }

    @Test
    void writesFeaturesAndLabelsWithShapesAndTypes(@TempDir Path tmp) throws IOException {
        Path out = tmp.resolve("f.npz");
        EncodeJob.Result r = EncodeJob.run(config(EncodeConfig.EncodeSplit.TEST, Pooling.FLATTEN, out, Long.MAX_VALUE));
        assertFalse(r.streamed());
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList f = read(manager, out);
            assertArrayEquals(new long[] {500, 8192}, f.get("features").getShape().getShape());
            assertEquals(DataType.FLOAT32, f.get("features").getDataType());
            assertArrayEquals(new long[] {500}, f.get("labels").getShape().getShape());
            assertEquals(DataType.INT64, f.get("labels").getDataType());
            ImageStore test = DataSources.open(MINI).load(Split.TEST);
            assertEquals(test.label(7), f.get("labels").getLong(7));
        }
    }

    @Test
    void featuresEqualADirectForwardPassOfTheEncoder(@TempDir Path tmp) throws IOException {
        Path out = tmp.resolve("f.npz");
        EncodeJob.run(config(EncodeConfig.EncodeSplit.TEST, Pooling.AVG, out, Long.MAX_VALUE));
        ImageStore test = DataSources.open(MINI).load(Split.TEST);
        try (NDManager manager = NDManager.newBaseManager();
             FeatureEncoder encoder = FeatureEncoder.fromCheckpoint(checkpoint, Device.cpu())) {
            NDArray features = read(manager, out).get("features");
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

    @Test
    void streamingWriterGivesTheSameFileContentsAsDjlsEncoder(@TempDir Path tmp) throws IOException {
        Path inMemory = tmp.resolve("a.npz");
        Path streamed = tmp.resolve("b.npz");
        assertFalse(EncodeJob.run(config(EncodeConfig.EncodeSplit.ALL, Pooling.FLATTEN, inMemory, Long.MAX_VALUE))
                .streamed());
        assertTrue(EncodeJob.run(config(EncodeConfig.EncodeSplit.ALL, Pooling.FLATTEN, streamed, 1)).streamed());
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList a = read(manager, inMemory);
            NDList b = read(manager, streamed);
            for (String name : new String[] {"features", "labels", "split"}) {
                assertEquals(a.get(name).getShape(), b.get(name).getShape(), name);
                assertEquals(a.get(name).getDataType(), b.get(name).getDataType(), name);
                assertTrue(a.get(name).contentEquals(b.get(name)), name);
            }
            assertArrayEquals(new long[] {1500, 8192}, b.get("features").getShape().getShape());
            assertEquals(1, b.get("split").getByte(1499));
            assertEquals(0, b.get("split").getByte(999));
        }
    }

    @Test
    void imageFoldersGetTheirPathsWritten(@TempDir Path tmp) throws IOException {
        Path root = io.selfsup.data.ImageFolderSourceTest.classFolders(tmp);
        Path out = tmp.resolve("f.npz");
        EncodeJob.Result r = EncodeJob.run(new EncodeConfig(checkpoint, root, EncodeConfig.EncodeSplit.ALL,
                Pooling.AVG, 100, out, false, Long.MAX_VALUE));
        assertTrue(r.streamed(), "paths need the streaming writer");
        assertEquals(6, r.images());
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

    @Test
    void refusesToOverwriteUnlessAsked(@TempDir Path tmp) throws IOException {
        Path out = tmp.resolve("f.npz");
        Files.writeString(out, "precious");
        SelfsupException e = assertThrows(SelfsupException.class,
                () -> EncodeJob.run(config(EncodeConfig.EncodeSplit.TEST, Pooling.AVG, out, Long.MAX_VALUE)));
        assertTrue(e.getMessage().contains("--overwrite"), e.getMessage());
        assertEquals("precious", Files.readString(out));
        EncodeJob.run(new EncodeConfig(checkpoint, MINI, EncodeConfig.EncodeSplit.TEST, Pooling.AVG, 100, out, true,
                Long.MAX_VALUE));
        try (NDManager manager = NDManager.newBaseManager()) {
            assertArrayEquals(new long[] {500, 128}, read(manager, out).get("features").getShape().getShape());
        }
    }

    @Test
    void badDataLeavesNoFileBehind(@TempDir Path tmp) {
        Path out = tmp.resolve("f.npz");
        assertThrows(SelfsupException.class, () -> EncodeJob.run(new EncodeConfig(checkpoint, tmp.resolve("none"),
                EncodeConfig.EncodeSplit.ALL, Pooling.AVG, 100, out, false, Long.MAX_VALUE)));
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
                MINI, EncodeConfig.EncodeSplit.TEST, Pooling.AVG, 100, out, false, Long.MAX_VALUE,
                io.selfsup.engine.DeviceMode.GPU)));
        assertTrue(e.getMessage().contains("--device gpu"), e.getMessage());
        assertFalse(Files.exists(out));
    }
}
