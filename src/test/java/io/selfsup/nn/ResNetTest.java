package io.selfsup.nn;

import static io.selfsup.Fixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.selfsup.Fixtures;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The ResNets (resnet18 and resnet50, CIFAR and standard stems), their BasicBlock and Bottleneck and the projection
 * head against PyTorch/torchvision (scripts/fixtures/make-resnet-fixtures.py). Weights are loaded by name through
 * {@link TorchSequential#torchName}, so every match also proves the name mapping.
 */
class ResNetTest {

    /**
     * Both sides compute in float32 with different libtorch builds (1.13 there, 2.7.1 here), whose
     * convolution and reduction kernels sum in different orders. The blocks and the head agree within 1e-6
     * of the largest value; the worst case, the network's conv1 gradient after 17 batch norms, within
     * 1.3e-6. 1e-5 leaves room for other CPUs' kernels and still catches any wrong weight, statistic or
     * momentum, which all show at 1e-2 or more.
     */
    private static final double TOLERANCE = 1e-5;

    private static final float ZERO_GRADIENT = 1e-5f;

    @ParameterizedTest(name = "{0}")
    @CsvSource({"block_downsample, 8, 16, 2", "block_identity, 8, 8, 1"})
    void basicBlockMatchesPyTorchForwardAndGradientsInTraining(String name, int in, int out, int stride) {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList f = Fixtures.load(manager, "resnet_" + name);
            BasicBlock block = new BasicBlock(in, out, stride);
            trainStep(manager, block, f);
            assertOutputAndGradients(block, f);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"block_downsample, 8, 16, 2", "block_identity, 8, 8, 1"})
    void runningStatisticsUpdateWithPyTorchsMomentum(String name, int in, int out, int stride) {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList f = Fixtures.load(manager, "resnet_" + name);
            BasicBlock block = new BasicBlock(in, out, stride);
            trainStep(manager, block, f);
            assertRunningStatistics(block, f);
        }
    }

    @Test
    void bottleneckMatchesPyTorchForwardGradientsAndStatisticsInTraining() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList f = Fixtures.load(manager, "resnet_bottleneck_downsample");
            Bottleneck block = new Bottleneck(8, 4, 2);
            trainStep(manager, block, f);
            assertOutputAndGradients(block, f);
            assertRunningStatistics(block, f);
        }
    }

    /**
     * Training mode (output, every gradient, running statistics), then evaluation mode, of whole networks. ResNet-50
     * is 53 batch norms deep: its stem's gradients (bn1.bias sums the upstream gradient over 2 x 32 x 32 positions)
     * differ by up to 1.6e-5 of the largest value between the two libtorch builds, so it is held to 5e-5, still far
     * below what a wrong weight, stride or statistic gives (1e-2 and more).
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"net_w4, RESNET18, CIFAR, 32, 1e-5", "std18_w4, RESNET18, STANDARD, 32, 1e-5",
            "std50_w4, RESNET50, STANDARD, 128, 5e-5", "cifar50_w4, RESNET50, CIFAR, 128, 5e-5"})
    void wholeNetworkMatchesTorchvisionInTrainingThenInEvaluation(String name, ResNet.Depth depth, Stem stem,
                                                                  int channels, double tolerance) {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList f = Fixtures.load(manager, "resnet_" + name);
            ResNet net = new ResNet(depth, 4, stem);
            assertEquals(channels, net.featureChannels());
            trainStep(manager, net, f);
            assertOutputAndGradients(net, f, tolerance);
            assertRunningStatistics(net, f);
            NDArray eval = net.forward(new ParameterStore(manager, false), new NDList(f.get("x")), false)
                    .singletonOrThrow();
            assertClose("eval output", f.get("y_eval"), eval, TOLERANCE);
            int size = (int) f.get("x").getShape().get(2);
            assertEquals(new Shape(f.get("y_eval").getShape().slice(1).getShape()),
                    (depth == ResNet.Depth.RESNET18 ? BackboneType.RESNET18 : BackboneType.RESNET50)
                            .featureMap(4, stem, size), "the feature map the backbone announces");
        }
    }

    /** The announced feature map is what a forward pass gives, odd sizes included (torch's floor((n - 1) / 2) + 1). */
    @ParameterizedTest(name = "{0} px, {1} stem")
    @CsvSource({"8, CIFAR", "33, CIFAR", "32, STANDARD", "33, STANDARD", "63, STANDARD", "97, STANDARD",
            "224, STANDARD"})
    void featureMapMatchesForwardPassAtAnySize(int size, Stem stem) {
        try (NDManager manager = NDManager.newBaseManager()) {
            ResNet net = new ResNet(ResNet.Depth.RESNET18, 2, stem);
            Shape input = new Shape(1, 3, size, size);
            net.initialize(manager, DataType.FLOAT32, input);
            NDArray y = net.forward(new ParameterStore(manager, false), new NDList(manager.randomNormal(input)), false)
                    .singletonOrThrow();
            assertEquals(BackboneType.RESNET18.featureMap(2, stem, size), y.getShape().slice(1));
        }
    }

    @Test
    void evaluationNormalizesWithRunningStatistics() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList f = Fixtures.load(manager, "resnet_block_downsample");
            BasicBlock block = new BasicBlock(8, 16, 2);
            block.initialize(manager, DataType.FLOAT32, f.get("x").getShape());
            loadByName(block, f, "param.");
            NDArray x = f.get("x");
            ParameterStore store = new ParameterStore(manager, false);
            NDArray eval = block.forward(store, new NDList(x), false).singletonOrThrow();
            // with running statistics each output is a fixed function of its own image: a batch of the
            // first image alone gives the same result, which batch statistics would not
            NDArray alone = block.forward(store, new NDList(x.get("0:1")), false).singletonOrThrow();
            assertClose("first image alone", eval.get("0:1"), alone, 1e-6);
            NDArray train = block.forward(store, new NDList(x), true).singletonOrThrow();
            assertTrue(train.sub(eval).abs().max().getFloat() > 1e-2, "training mode uses batch statistics");
        }
    }

    @Test
    void globalAvgPool2dBlockEqualsTorchAvgPoolAndFlatten() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList f = Fixtures.load(manager, "resnet_net_w4");
            Block pool = Pool.globalAvgPool2dBlock();
            NDArray pooled = pool.forward(new ParameterStore(manager, false), new NDList(f.get("y_eval")), false)
                    .singletonOrThrow();
            assertClose("pooled features", f.get("pooled"), pooled, 1e-6);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"RESNET18, CIFAR, parameter_count, 11168832, 512, 32, 4",
            "RESNET18, STANDARD, parameter_count18_std, 11176512, 512, 224, 7",
            "RESNET50, STANDARD, parameter_count50_std, 23508032, 2048, 224, 7"})
    void standardWidthHasTorchvisionsParameterCount(ResNet.Depth depth, Stem stem, String fixtureKey, long count,
                                                    long channels, int size, int side) {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList f = Fixtures.load(manager, "resnet_keys");
            ResNet net = new ResNet(depth, 64, stem);
            Shape input = new Shape(1, 3, size, size);
            net.initialize(manager, DataType.FLOAT32, input);
            long trainable = net.getParameters().values().stream()
                    .filter(Parameter::requiresGradient)
                    .mapToLong(p -> p.getArray().size())
                    .sum();
            assertEquals(f.get(fixtureKey).getLong(), trainable);
            assertEquals(count, trainable);
            assertEquals(new Shape(1, channels, side, side), net.getOutputShapes(new Shape[] {input})[0]);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"RESNET18, CIFAR, keys", "RESNET18, STANDARD, keys", "RESNET50, STANDARD, keys50",
            "RESNET50, CIFAR, keys50"})
    void parameterNamesMapOneToOneToTorchvisionKeys(ResNet.Depth depth, Stem stem, String fixtureKey) {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList f = Fixtures.load(manager, "resnet_keys");
            List<String> torchvision = Arrays.asList(
                    new String(f.get(fixtureKey).toByteArray(), StandardCharsets.UTF_8).split("\n"));
            List<String> djl = new ResNet(depth, 64, stem).getParameters().keys();
            assertEquals(torchvision, djl.stream().map(ResNet::torchName).toList());
            assertEquals(djl, torchvision.stream().map(k -> ResNet.djlName(depth, k)).toList());
        }
    }

    /** A run's checkpoint names its parameters the DJL way: the stem must not change them. */
    @Test
    void stemsShareParameterNames() {
        assertEquals(new ResNet(ResNet.Depth.RESNET50, 4, Stem.CIFAR).getParameters().keys(),
                new ResNet(ResNet.Depth.RESNET50, 4, Stem.STANDARD).getParameters().keys());
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"RESNET18, CIFAR", "RESNET50, STANDARD"})
    void initializationFollowsTorchvision(ResNet.Depth depth, Stem stem) {
        try (NDManager manager = NDManager.newBaseManager()) {
            ResNet net = new ResNet(depth, 64, stem);
            net.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 64, 64));
            for (Pair<String, Parameter> p : net.getParameters()) {
                String key = ResNet.torchName(p.getKey());
                NDArray a = p.getValue().getArray();
                if (key.endsWith("running_var") || (key.endsWith(".weight") && a.getShape().dimension() == 1)) {
                    assertEquals(1f, a.min().getFloat(), key);
                    assertEquals(1f, a.max().getFloat(), key);
                } else if (a.getShape().dimension() == 1) {
                    assertEquals(0f, a.abs().max().getFloat(), key);
                } else {
                    // kaiming_normal_(mode='fan_out'): std sqrt(2 / (out_channels * kH * kW))
                    Shape s = a.getShape();
                    double std = Math.sqrt(2.0 / (s.get(0) * s.get(2) * s.get(3)));
                    double measured = Math.sqrt(a.pow(2).mean().getFloat());
                    assertEquals(std, measured, (s.size() < 10_000 ? 0.1 : 0.02) * std, key);
                    assertEquals(0, a.mean().getFloat(), 0.1 * std, key);
                }
            }
        }
    }

    @Test
    void projectionHeadMatchesPyTorchInTraining() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList f = Fixtures.load(manager, "resnet_head");
            ProjectionHead head = new ProjectionHead(16, 32, 8);
            trainStep(manager, head, f);
            assertOutputAndGradients(head, f);
            assertRunningStatistics(head, f);
        }
    }

    /** VICReg's 3-layer projector: its children's state_dict keys ("4.running_var", "6.bias") and numerics. */
    @Test
    void threeLayerProjectionHeadMatchesSoloLearnsProjectorInTraining() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList f = Fixtures.load(manager, "resnet_head3");
            ProjectionHead head = new ProjectionHead(16, 32, 8, 3);
            trainStep(manager, head, f);
            assertOutputAndGradients(head, f);
            assertRunningStatistics(head, f);
        }
    }

    @Test
    void projectionHeadHasPyTorchsLinearInitialization() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ProjectionHead head = new ProjectionHead(512, 512, 128);
            head.initialize(manager, DataType.FLOAT32, new Shape(4, 512));
            float bound = (float) (1 / Math.sqrt(512));
            for (String key : List.of("0.weight", "0.bias", "3.weight", "3.bias")) {
                NDArray a = parameter(head, key).getArray();
                assertTrue(a.abs().max().getFloat() <= bound, key);
                assertTrue(a.abs().max().getFloat() > 0.9 * bound, key);
            }
            assertEquals(new Shape(128, 512), parameter(head, "3.weight").getArray().getShape());
        }
    }

    /** Loads the fixture's parameters by name, then runs one train-mode forward and backward of sum(y * gy). */
    private static void trainStep(NDManager manager, Block block, NDList f) {
        NDArray x = f.get("x");
        block.initialize(manager, DataType.FLOAT32, x.getShape());
        loadByName(block, f, "param.");
        x.setRequiresGradient(true);
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray y = block.forward(new ParameterStore(manager, false), new NDList(x), true).singletonOrThrow();
            y.setName("y_java");
            f.add(y);
            collector.backward(y.mul(f.get("gy")).sum());
        }
    }

    private static void assertOutputAndGradients(Block block, NDList f) {
        assertOutputAndGradients(block, f, TOLERANCE);
    }

    private static void assertOutputAndGradients(Block block, NDList f, double tolerance) {
        assertClose("output", f.get("y"), f.get("y_java"), TOLERANCE);
        assertClose("grad x", f.get("grad_x"), f.get("x").getGradient(), tolerance);
        int checked = 0;
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getValue().requiresGradient()) {
                String key = TorchSequential.torchName(p.getKey());
                NDArray expected = f.get("grad." + key);
                assertNotNull(expected, "no PyTorch gradient for " + key);
                NDArray actual = p.getValue().getArray().getGradient();
                if (expected.abs().max().getFloat() < ZERO_GRADIENT) {
                    // a bias followed by train-mode batch norm (the head's first Linear) gets gradient 0 in
                    // exact arithmetic, as batch norm subtracts the batch mean: both sides give rounding noise
                    assertTrue(actual.abs().max().getFloat() < ZERO_GRADIENT, "grad " + key + " should be 0");
                } else {
                    assertClose("grad " + key, expected, actual, tolerance);
                }
                checked++;
            }
        }
        assertEquals(f.stream().filter(a -> a.getName().startsWith("grad.")).count(), checked);
    }

    private static void assertRunningStatistics(Block block, NDList f) {
        int checked = 0;
        for (Pair<String, Parameter> p : block.getParameters()) {
            String key = TorchSequential.torchName(p.getKey());
            if (key.contains("running_")) {
                assertClose(key + " after one step", f.get("after." + key), p.getValue().getArray(), TOLERANCE);
                checked++;
            }
        }
        assertEquals(f.stream().filter(a -> a.getName().startsWith("after.")).count(), checked);
    }

    private static void loadByName(Block block, NDList f, String prefix) {
        for (Pair<String, Parameter> p : block.getParameters()) {
            String key = TorchSequential.torchName(p.getKey());
            NDArray source = f.get(prefix + key);
            assertNotNull(source, "no PyTorch parameter " + key + " for " + p.getKey());
            NDArray target = p.getValue().getArray();
            assertEquals(source.getShape(), target.getShape(), key);
            target.set(source.toFloatArray());
        }
        assertEquals(f.stream().filter(a -> a.getName().startsWith(prefix)).count(), block.getParameters().size());
    }

    private static Parameter parameter(Block block, String torchKey) {
        return block.getParameters().stream()
                .filter(p -> TorchSequential.torchName(p.getKey()).equals(torchKey))
                .findFirst().orElseThrow().getValue();
    }
}
