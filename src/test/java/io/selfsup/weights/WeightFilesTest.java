package io.selfsup.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.selfsup.Fixtures;
import io.selfsup.SelfsupException;
import io.selfsup.encode.FeatureEncoder;
import io.selfsup.nn.Pooling;
import io.selfsup.method.MethodConfig;
import io.selfsup.method.Method;
import io.selfsup.method.Methods;
import io.selfsup.method.PretextMethod;
import io.selfsup.nn.BackboneType;
import io.selfsup.nn.Stem;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The weights formats without Python: files PyTorch wrote (scripts/fixtures/make-weights-fixtures.py) load under
 * torchvision's and the article's names and give PyTorch's features; files selfsup writes read back bit for
 * bit, also through DJL's own safetensors decoder; damaged or mismatching files fail with what is wrong and
 * change nothing.
 */
class WeightFilesTest {

    private static Path fixture(String name) {
        try {
            return Path.of(WeightFilesTest.class.getResource("/fixtures/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("missing fixture " + name + ": run scripts/fixtures/make-weights-fixtures.py", e);
        }
    }

    private static MethodConfig simclr(int width) {
        return MethodConfig.defaults("simclr", BackboneType.RESNET18, width);
    }

    private static PretextMethod initialized(MethodConfig config, NDManager manager, int seed) {
        Engine.getInstance().setRandomSeed(seed);
        PretextMethod method = config.create();
        method.network().initialize(manager, DataType.FLOAT32, method.inputShapes(2));
        return method;
    }

    private static float[] features(PretextMethod method, MethodConfig config, NDManager manager, NDArray x) {
        try (FeatureEncoder encoder = FeatureEncoder.ofBackbone(method.backbone(),
                config.featureMap(), manager, Device.cpu())) {
            return config.backbone().defaultPooling().apply(encoder.encode(x)).toFloatArray();
        }
    }

    private static void assertClose(float[] expected, float[] actual, double tolerance) {
        assertEquals(expected.length, actual.length, "length");
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
        }
        assertTrue(worst <= tolerance, "max |diff| " + worst + " > " + tolerance);
    }

    @Test
    void resnetStateDictsPyTorchWroteGivePyTorchsFeaturesInBothFormats() {
        for (String file : List.of("weights_torch_resnet_w2.safetensors", "weights_torch_resnet_w2.npz")) {
            try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
                NDList expected = Fixtures.load(manager, "weights_expected");
                StateDict dict = WeightFormat.read(fixture(file));
                MethodConfig config = WeightImport.resolve(simclr(0), dict, fixture(file));
                assertEquals(2, config.width(), "width read from conv1.weight");
                PretextMethod method = initialized(config, manager, 5);
                assertEquals(WeightContent.BACKBONE, WeightImport.apply(dict, method, config, fixture(file)));
                collectGarbage();
                assertClose(expected.get("resnet_features").toFloatArray(),
                        features(method, config, manager, expected.get("x")), 1e-5);
            }
        }
    }

    /** A torchvision state_dict with its own stem and its fc: backbone, width and stem come from the file. */
    @Test
    void torchvisionResnet50StateDictWithItsStemAndFcGivesPyTorchsFeatures() {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            NDList expected = Fixtures.load(manager, "weights_expected");
            Path file = fixture("weights_torchvision_resnet50_w2.npz");
            StateDict dict = WeightFormat.read(file);
            assertTrue(dict.tensors().containsKey("fc.weight"), "the fixture keeps torchvision's classifier");
            MethodConfig asked = MethodConfig.defaults("simclr", BackboneType.RESNET50, 0).withImageSize(64);
            MethodConfig config = WeightImport.resolve(asked, dict, file);
            assertEquals(2, config.width(), "width read from conv1.weight");
            assertEquals(Stem.STANDARD, config.stem(), "stem read from conv1's 7x7 kernel");
            PretextMethod method = initialized(config, manager, 5);
            assertEquals(WeightContent.BACKBONE, WeightImport.apply(dict, method, config, file));
            collectGarbage();
            assertClose(expected.get("resnet50_features").toFloatArray(),
                    features(method, config, manager, expected.get("x64")), 1e-5);
        }
    }

    @Test
    void aStemOtherThanTheFilesOrABackboneOtherThanItsIsRefusedNamingTheOption() {
        Path file = fixture("weights_torchvision_resnet50_w2.npz");
        StateDict dict = WeightFormat.read(file);
        MethodConfig cifarStem = MethodConfig.defaults("simclr", BackboneType.RESNET50, 0).withStem(Stem.CIFAR);
        SelfsupException stem = assertThrows(SelfsupException.class, () -> WeightImport.resolve(cifarStem, dict, file));
        assertTrue(stem.getMessage().contains("standard stem") && stem.getMessage().contains("--stem standard"),
                stem.getMessage());
        SelfsupException depth = assertThrows(SelfsupException.class,
                () -> WeightImport.resolve(simclr(0), dict, file));
        assertTrue(depth.getMessage().contains("resnet50 backbone") && depth.getMessage().contains("--backbone resnet50"),
                depth.getMessage());
    }

    @Test
    void articleStateDictPyTorchWroteLoadsUnderTheArticlesNamesAndGivesItsEncoderOutput() {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            NDList expected = Fixtures.load(manager, "weights_expected");
            Path file = fixture("weights_torch_autoencoder.safetensors");
            StateDict dict = WeightFormat.read(file);
            assertEquals(List.of("encoder.0.weight", "encoder.0.bias", "encoder.2.weight", "encoder.2.bias",
                    "decoder.0.weight", "decoder.0.bias", "decoder.2.weight", "decoder.2.bias"),
                    new ArrayList<>(dict.tensors().keySet()));
            MethodConfig config = MethodConfig.defaults("autoencoder", BackboneType.CONV2, 0);
            PretextMethod method = initialized(config, manager, 5);
            assertEquals(WeightContent.ALL, WeightImport.apply(dict, method, config, file));
            collectGarbage();
            assertClose(expected.get("autoencoder_features").toFloatArray(),
                    features(method, config, manager, expected.get("x")), 1e-5);
        }
    }

    @Test
    void resnetBackboneExportHasExactlyTorchvisionKeysPlusBatchCounters() throws IOException {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            MethodConfig config = simclr(2);
            StateDict dict = WeightExport.stateDict(initialized(config, manager, 1), config, WeightContent.BACKBONE);
            List<String> torchvision = List.of(new String(Fixtures.load(manager, "resnet_keys").get("keys")
                    .toByteArray(), java.nio.charset.StandardCharsets.UTF_8).strip().split("\n"));
            List<String> withoutCounters = dict.tensors().keySet().stream()
                    .filter(k -> !k.endsWith(".num_batches_tracked")).toList();
            assertEquals(torchvision, withoutCounters);
            long batchNorms = torchvision.stream().filter(k -> k.endsWith(".running_var")).count();
            assertEquals(batchNorms, dict.tensors().keySet().stream()
                    .filter(k -> k.endsWith(".num_batches_tracked")).count());
            assertEquals(0, dict.get("bn1.num_batches_tracked").shape().length, "a 0-dimensional int64 as in torch");
        }
    }

    @Test
    void exportedFilesReadBackBitForBitAndCarryTheArchitecture(@TempDir Path tmp) {
        for (Method type : Methods.all()) {
            MethodConfig config = MethodConfig.defaults(type, type.defaultBackbone(),
                    type.defaultBackbone().hasWidth() ? 2 : 0);
            for (WeightFormat format : WeightFormat.values()) {
                try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
                    PretextMethod source = initialized(config, manager, 1);
                    Path file = tmp.resolve(type.id() + format.extension());
                    WeightFormat.write(WeightExport.stateDict(source, config, WeightContent.ALL), file, false);
                    StateDict read = WeightFormat.read(file);
                    assertEquals("all", read.metadata().get("content"));
                    assertEquals(config, MethodConfig.fromMap(ai.djl.util.JsonUtils.GSON.fromJson(
                            read.metadata().get("method"), Map.class)), "architecture in the metadata");
                    PretextMethod target = initialized(config, manager, 2);
                    assertEquals(WeightContent.ALL, WeightImport.apply(read, target, config, file));
                    collectGarbage();
                    assertSameParameters(source, target, type + " " + format);
                }
            }
        }
    }

    /**
     * safetensors.torch.save_file often holds half precision: float16, bfloat16 and float64 tensors load,
     * converted to float32 (to within the stored precision), and the parameters keep working after a GC.
     */
    @Test
    void halfAndDoublePrecisionFilesLoadAsFloat32(@TempDir Path tmp) {
        Map<DataType, Double> tolerance = Map.of(DataType.FLOAT16, 2e-3, DataType.BFLOAT16, 1.6e-2,
                DataType.FLOAT64, 0.0);
        for (Map.Entry<DataType, Double> precision : tolerance.entrySet()) {
            try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
                MethodConfig config = simclr(2);
                PretextMethod source = initialized(config, manager, 1);
                StateDict exact = WeightExport.stateDict(source, config, WeightContent.BACKBONE);
                Map<String, Tensor> converted = new java.util.LinkedHashMap<>();
                exact.tensors().forEach((key, t) -> {
                    if (t.type() != DataType.FLOAT32) {
                        converted.put(key, t);
                        return;
                    }
                    converted.put(key, precision.getKey() == DataType.BFLOAT16 ? truncatedToBfloat16(t)
                            : converted(t, precision.getKey(), manager));
                });
                Path file = tmp.resolve(precision.getKey() + ".safetensors");
                WeightFormat.write(new StateDict(converted, Map.of()), file, false);
                PretextMethod target = initialized(config, manager, 2);
                WeightImport.apply(WeightFormat.read(file), target, config, file);
                collectGarbage();
                List<Pair<String, Parameter>> a = source.backbone().getParameters().stream().toList();
                List<Pair<String, Parameter>> b = target.backbone().getParameters().stream().toList();
                for (int i = 0; i < a.size(); i++) {
                    assertEquals(DataType.FLOAT32, b.get(i).getValue().getArray().getDataType());
                    float[] want = a.get(i).getValue().getArray().toFloatArray();
                    float[] got = b.get(i).getValue().getArray().toFloatArray();
                    for (int j = 0; j < want.length; j++) {
                        double bound = precision.getValue() * Math.max(1, Math.abs(want[j]));
                        assertTrue(Math.abs(want[j] - got[j]) <= bound, precision.getKey() + " "
                                + a.get(i).getKey() + "[" + j + "]: " + want[j] + " vs " + got[j]);
                    }
                }
            }
        }
    }

    private static Tensor converted(Tensor t, DataType type, NDManager manager) {
        try (NDArray a = t.toArray(manager); NDArray c = a.toType(type, false)) {
            return Tensor.of(c);
        }
    }

    /** bfloat16 made in Java: DJL's engine aborts the process on toType(BFLOAT16). */
    private static Tensor truncatedToBfloat16(Tensor t) {
        java.nio.FloatBuffer in = t.data().duplicate().order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        java.nio.ByteBuffer out = java.nio.ByteBuffer.allocate(in.remaining() * 2)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        while (in.hasRemaining()) {
            out.putShort((short) (Float.floatToIntBits(in.get()) >>> 16));
        }
        return new Tensor(DataType.BFLOAT16, t.shape(), out.flip());
    }

    @Test
    void djlsOwnSafetensorsDecoderReadsWhatSelfsupWrites(@TempDir Path tmp) throws IOException {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            MethodConfig config = simclr(2);
            PretextMethod method = initialized(config, manager, 3);
            StateDict dict = WeightExport.stateDict(method, config, WeightContent.BACKBONE);
            Path file = tmp.resolve("b.safetensors");
            WeightFormat.write(dict, file, false);
            NDList decoded = NDList.decode(manager, Files.readAllBytes(file));
            assertEquals(dict.tensors().size(), decoded.size());
            for (NDArray array : decoded) {
                Tensor t = dict.get(array.getName());
                assertArrayEquals(t.shape(), array.getShape().getShape(), array.getName());
                NDArray ours = t.toArray(manager);
                assertTrue(ours.contentEquals(array), array.getName());
            }
        }
    }

    @Test
    void aWrongWidthNamesTheFirstOffendingTensorAndChangesNothing() {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            Path file = fixture("weights_torch_resnet_w2.safetensors");
            MethodConfig config = simclr(4);
            PretextMethod method = initialized(config, manager, 1);
            float[] before = method.backbone().getParameters().get(0).getValue().getArray().toFloatArray();
            SelfsupException e = assertThrows(SelfsupException.class,
                    () -> WeightImport.apply(WeightFormat.read(file), method, config, file));
            assertTrue(e.getMessage().contains("'conv1.weight' has shape [2, 3, 3, 3]"), e.getMessage());
            assertTrue(e.getMessage().contains("[4, 3, 3, 3]"), e.getMessage());
            assertArrayEquals(before, method.backbone().getParameters().get(0).getValue().getArray().toFloatArray());
        }
    }

    @Test
    void foreignAndMissingTensorsAreNamed(@TempDir Path tmp) {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            MethodConfig config = simclr(2);
            PretextMethod method = initialized(config, manager, 1);
            StateDict full = WeightExport.stateDict(method, config, WeightContent.BACKBONE);
            Map<String, Tensor> extra = new java.util.LinkedHashMap<>(full.tensors());
            extra.put("layer5.0.conv1.weight", Tensor.scalarLong(1));
            SelfsupException foreign = assertThrows(SelfsupException.class,
                    () -> WeightImport.apply(new StateDict(extra, Map.of()), method, config, tmp));
            assertTrue(foreign.getMessage().contains("'layer5.0.conv1.weight' is not a parameter"), foreign.getMessage());

            Map<String, Tensor> missing = new java.util.LinkedHashMap<>(full.tensors());
            missing.remove("layer4.1.bn2.running_var");
            SelfsupException lacks = assertThrows(SelfsupException.class,
                    () -> WeightImport.apply(new StateDict(missing, Map.of()), method, config, tmp));
            assertTrue(lacks.getMessage().contains("lacks 'layer4.1.bn2.running_var'"), lacks.getMessage());

            Map<String, Tensor> withClassifier = new java.util.LinkedHashMap<>(full.tensors());
            withClassifier.put("fc.weight", Tensor.scalarLong(1));
            assertEquals(WeightContent.BACKBONE,
                    WeightImport.apply(new StateDict(withClassifier, Map.of()), method, config, tmp),
                    "torchvision's classifier is skipped, not an error");
        }
    }

    @Test
    void truncatedAndForeignFilesAreRefusedWithWhatIsWrong(@TempDir Path tmp) throws IOException {
        byte[] good = Files.readAllBytes(fixture("weights_torch_resnet_w2.safetensors"));
        Path truncated = tmp.resolve("t.safetensors");
        Files.write(truncated, Arrays.copyOf(good, good.length - 100));
        SelfsupException e = assertThrows(SelfsupException.class, () -> WeightFormat.read(truncated));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());

        Path text = tmp.resolve("notes.safetensors");
        Files.writeString(text, "these are not weights at all");
        e = assertThrows(SelfsupException.class, () -> WeightFormat.read(text));
        assertTrue(e.getMessage().startsWith("cannot read weights from " + text), e.getMessage());

        Path notZip = tmp.resolve("w.npz");
        Files.writeString(notZip, "not a zip");
        e = assertThrows(SelfsupException.class, () -> WeightFormat.read(notZip));
        assertTrue(e.getMessage().contains("zip"), e.getMessage());

        e = assertThrows(SelfsupException.class, () -> WeightFormat.read(tmp.resolve("w.pt")));
        assertTrue(e.getMessage().contains(".safetensors or .npz"), e.getMessage());
        e = assertThrows(SelfsupException.class, () -> WeightFormat.read(tmp.resolve("absent.npz")));
        assertTrue(e.getMessage().contains("is not a file"), e.getMessage());
    }

    /**
     * A state_dict PyTorch wrote, one weight made NaN and, in a second file, one +infinity: each is refused before any
     * parameter changes, naming the tensor and how many values; a safetensors header that lists a key twice is refused
     * (JSON would keep the last silently).
     */
    @Test
    void nonFiniteWeightsAndAKeyListedTwiceAreRefused(@TempDir Path tmp) throws IOException {
        StateDict good = WeightFormat.read(fixture("weights_torch_resnet_w2.safetensors"));
        MethodConfig config = WeightImport.resolve(simclr(0), good, fixture("weights_torch_resnet_w2.safetensors"));
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY}) {
            Map<String, Tensor> tensors = new java.util.LinkedHashMap<>(good.tensors());
            Tensor conv = tensors.get("layer1.0.conv1.weight");
            java.nio.ByteBuffer data = java.nio.ByteBuffer.allocate(conv.data().remaining())
                    .order(java.nio.ByteOrder.LITTLE_ENDIAN);
            data.put(conv.data().duplicate()).flip();
            data.putFloat(4, bad);
            tensors.put("layer1.0.conv1.weight", new Tensor(conv.type(), conv.shape(), data));
            Path file = tmp.resolve("bad-" + bad + ".safetensors");
            WeightFormat.write(new StateDict(tensors, good.metadata()), file, false);
            StateDict dict = WeightFormat.read(file);
            SelfsupException e = assertThrows(SelfsupException.class, () -> WeightImport.verify(dict, config, file));
            assertTrue(e.getMessage().contains("'layer1.0.conv1.weight' holds 1 value(s) that are NaN or infinite"),
                    e.getMessage());
        }
        Path twice = tmp.resolve("twice.safetensors");
        String entry = "{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}";
        writeRaw(twice, "{\"t\":" + entry + ",\"t\":" + entry + "}", new byte[8]);
        SelfsupException e = assertThrows(SelfsupException.class, () -> WeightFormat.read(twice));
        assertTrue(e.getMessage().contains("its header lists t twice"), e.getMessage());
    }

    /**
     * Hostile .npz weight files, each refused with one line before any array's buffer is allocated: an object array
     * (NumPy pickles those; never unpickled), a tiny entry whose header declares a 1.6 GB array, a shape whose element
     * count overflows, a negative dimension, a name twice, and an archive whose directory declares more than 2 GB.
     */
    @Test
    void hostileNpzArchivesAreRefusedBeforeAnythingIsAllocated(@TempDir Path tmp) throws IOException {
        byte[] eight = new byte[8];
        assertRefused(tmp, "object.npz", npz(Map.of("w.npy", npy("|O", "(1,)", eight))), "not a type selfsup reads");
        assertRefused(tmp, "declared.npz", npz(Map.of("w.npy", npy("<f4", "(20000, 20000)", eight))),
                "declares 1600000000 bytes of data, the archive holds 8");
        assertRefused(tmp, "overflow.npz", npz(Map.of("w.npy", npy("<f4", "(4294967296, 4294967296)", eight))),
                "is not a shape of an array selfsup reads");
        assertRefused(tmp, "negative.npz", npz(Map.of("w.npy", npy("<f4", "(-1, 2)", eight))), "negative dimension");
        // two entries, then the second's name made the first's in the local header and the central directory
        byte[] twice = npz(new java.util.TreeMap<>(Map.of("a.npy", npy("<f4", "(2,)", eight),
                "b.npy", npy("<f4", "(2,)", eight))));
        replaceAll(twice, "b.npy", "a.npy");
        assertRefused(tmp, "twice.npz", twice, "holds a twice");
        // the central directory's uncompressed size of the one entry set to ~4 GB: a bomb's declaration
        byte[] bomb = npz(Map.of("w.npy", npy("<f4", "(2,)", eight)));
        int central = indexOf(bomb, new byte[] {'P', 'K', 1, 2});
        java.nio.ByteBuffer.wrap(bomb).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(central + 24, 0xFFFFFFF0);
        assertRefused(tmp, "bomb.npz", bomb, "declare more than 2147483647 bytes in all");
    }

    private static void assertRefused(Path tmp, String name, byte[] content, String contains) throws IOException {
        Path file = Files.write(tmp.resolve(name), content);
        SelfsupException e = assertThrows(SelfsupException.class, () -> WeightFormat.read(file), name);
        assertTrue(e.getMessage().startsWith("cannot read weights from " + file) && e.getMessage().contains(contains),
                name + ": " + e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), "one line: " + e.getMessage());
    }

    /** A NumPy .npy (format 1.0) with this header and data. */
    private static byte[] npy(String descr, String shape, byte[] data) {
        String header = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
        header += " ".repeat(63 - (10 + header.length()) % 64) + "\n";
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) header.length(),
                (byte) (header.length() >> 8)});
        out.writeBytes(header.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        out.writeBytes(data);
        return out.toByteArray();
    }

    private static byte[] npz(Map<String, byte[]> entries) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                zip.putNextEntry(new java.util.zip.ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static void replaceAll(byte[] bytes, String from, String to) {
        byte[] f = from.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] t = to.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        for (int i = indexOf(bytes, f); i >= 0; i = indexOf(bytes, f)) {
            System.arraycopy(t, 0, bytes, i, t.length);
        }
    }

    private static int indexOf(byte[] bytes, byte[] part) {
        outer:
        for (int i = 0; i + part.length <= bytes.length; i++) {
            for (int j = 0; j < part.length; j++) {
                if (bytes[i + j] != part[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void headerCornersOfTheSpecAreReadAndBadMetadataIsAOneLineError(@TempDir Path tmp) throws IOException {
        // an empty tensor listed after one that starts at the same offset is valid safetensors
        Path empty = tmp.resolve("empty.safetensors");
        writeRaw(empty, "{\"t\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"z\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]}}", new byte[8]);
        StateDict read = WeightFormat.read(empty);
        assertEquals(0, read.get("z").byteSize());
        assertEquals(8, read.get("t").byteSize());

        Path nested = tmp.resolve("nested.safetensors");
        writeRaw(nested, "{\"__metadata__\":{\"a\":{\"b\":1}},"
                + "\"t\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", new byte[8]);
        SelfsupException e = assertThrows(SelfsupException.class, () -> WeightFormat.read(nested));
        assertTrue(e.getMessage().contains("__metadata__"), e.getMessage());
    }

    private static void writeRaw(Path file, String header, byte[] data) throws IOException {
        byte[] json = header.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 + json.length + data.length)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putLong(json.length).put(json).put(data);
        Files.write(file, b.array());
    }

    @Test
    void anExistingFileIsNotReplacedWithoutOverwrite(@TempDir Path tmp) throws IOException {
        Path file = tmp.resolve("w.safetensors");
        Files.writeString(file, "keep me");
        StateDict dict = new StateDict(Map.of("a", Tensor.scalarLong(3)), Map.of());
        assertThrows(SelfsupException.class, () -> WeightFormat.write(dict, file, false));
        assertEquals("keep me", Files.readString(file));
        WeightFormat.write(dict, file, true);
        assertEquals(3L, WeightFormat.read(file).get("a").data().getLong(0));
        try (var files = Files.list(tmp)) {
            assertEquals(List.of(file), files.toList(), "no temporary file left");
        }
    }

    /**
     * Imported values must live in memory the parameters own: DJL wraps a direct buffer without copying, and a
     * parameter left on such a buffer reads garbage once the collector frees it (scripts/check/torch-export-check.py
     * found exactly that). Collecting here makes the tests see it too.
     */
    private static void collectGarbage() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            byte[][] churn = new byte[64][];
            for (int j = 0; j < churn.length; j++) {
                churn[j] = new byte[1 << 20];
            }
        }
    }

    private static void assertSameParameters(PretextMethod a, PretextMethod b, String what) {
        List<Pair<String, Parameter>> pa = a.network().getParameters().stream().toList();
        List<Pair<String, Parameter>> pb = b.network().getParameters().stream().toList();
        assertEquals(pa.size(), pb.size());
        for (int i = 0; i < pa.size(); i++) {
            assertArrayEquals(pa.get(i).getValue().getArray().toFloatArray(),
                    pb.get(i).getValue().getArray().toFloatArray(), what + " " + pa.get(i).getKey());
        }
    }
}
