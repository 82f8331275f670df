package io.selfsup.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.inference.Predictor;
import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import io.selfsup.Fixtures;
import io.selfsup.method.MethodConfig;
import io.selfsup.nn.BackboneType;
import io.selfsup.train.TrainConfigBuilder;
import io.selfsup.train.TrainConfig;
import io.selfsup.train.TrainingSession;
import java.awt.image.BufferedImage;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run directory loads through DJL's Criteria API with nothing but its path, and the README's lines give
 * PyTorch's features: the run is made from a resnet18 state_dict PyTorch wrote (--init-from, 0 epochs), the
 * images are the fixture's pixels, and the features are compared with those PyTorch computed.
 */
class RunAsDjlModelTest {

    @Test
    void theReadmeLinesGivePyTorchsFeaturesForImages(@TempDir Path tmp) throws Exception {
        Path weights = Path.of(RunAsDjlModelTest.class.getResource("/fixtures/weights_torch_resnet_w2.safetensors")
                .toURI());
        MethodConfig simclr = MethodConfig.defaults("simclr", BackboneType.RESNET18, 0);
        TrainConfig config = TrainConfigBuilder.tinyRun().output(tmp.resolve("run")).runsRoot(tmp).epochs(0)
                .method(simclr).initFrom(weights).build();
        Path runDir = TrainingSession.run(config, r -> { }).run().path();

        try (NDManager manager = NDManager.newBaseManager()) {
            NDList expected = Fixtures.load(manager, "weights_expected");
            List<Image> images = images(expected.get("x"));
            float[] torchFeatures = expected.get("resnet_features").toFloatArray();

            // README "Embeddings from Java code", verbatim but for the path
            Criteria<Image, float[]> criteria = Criteria.builder()
                    .setTypes(Image.class, float[].class)
                    .optModelPath(Paths.get(runDir.toString()))
                    .optTranslator(new FeatureTranslator())
                    .build();
            try (ZooModel<Image, float[]> model = criteria.loadModel();
                 Predictor<Image, float[]> predictor = model.newPredictor()) {
                List<float[]> features = predictor.batchPredict(images);
                float[] single = predictor.predict(images.get(2));

                assertEquals(images.size(), features.size());
                for (int i = 0; i < images.size(); i++) {
                    assertEquals(16, features.get(i).length, "8 x width values");
                    for (int d = 0; d < 16; d++) {
                        assertEquals(torchFeatures[i * 16 + d], features.get(i)[d], 1e-5, "image " + i + " dim " + d);
                    }
                }
                for (int d = 0; d < 16; d++) {
                    assertEquals(features.get(2)[d], single[d], 1e-6, "one image alone = in a batch");
                }
            }

            // the README's other forms: another pooling, and a run without serving.properties
            Files.delete(runDir.resolve(ServingProperties.FILE));
            Criteria<Image, float[]> older = Criteria.builder()
                    .setTypes(Image.class, float[].class)
                    .optModelPath(runDir)
                    .optTranslator(new FeatureTranslator())
                    .optArgument("blockFactory", new RunBlockFactory())
                    .optOption("hasParameter", "false")
                    .optArgument("pooling", "flatten")
                    .build();
            try (ZooModel<Image, float[]> model = older.loadModel();
                 Predictor<Image, float[]> predictor = model.newPredictor()) {
                float[] map = predictor.predict(images.get(0));
                assertEquals(16 * 4 * 4, map.length, "the whole 16 x 4 x 4 feature map");
                for (int c = 0; c < 16; c++) {
                    double mean = 0;
                    for (int p = 0; p < 16; p++) {
                        mean += map[c * 16 + p] / 16.0;
                    }
                    assertEquals(torchFeatures[c], mean, 1e-5, "its spatial mean is the pooled feature, channel " + c);
                }
            }
        }
    }

    /**
     * A run at 64 pixels of a torchvision resnet50 with its own stem (a state_dict PyTorch wrote, fc included): the
     * translator resizes to the run's size, and the features are PyTorch's. The pictures are the fixture's 64 x 64
     * pixels as PNG files, the run's data.
     */
    @Test
    void aSixtyFourPixelResnet50RunGivesPyTorchsFeatures(@TempDir Path tmp) throws Exception {
        Path weights = Path.of(RunAsDjlModelTest.class.getResource("/fixtures/weights_torchvision_resnet50_w2.npz")
                .toURI());
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList expected = Fixtures.load(manager, "weights_expected");
            List<Image> images = images(expected.get("x64"));
            Path folder = Files.createDirectories(tmp.resolve("pictures"));
            for (int i = 0; i < images.size(); i++) {
                try (var out = Files.newOutputStream(folder.resolve("p" + i + ".png"))) {
                    images.get(i).save(out, "png");
                }
            }
            MethodConfig simclr = MethodConfig.defaults("simclr", BackboneType.RESNET50, 0).withImageSize(64);
            TrainConfig config = TrainConfigBuilder.tinyRun().data(new io.selfsup.data.DataSpec(folder, 0, 0, null))
                    .output(tmp.resolve("run")).runsRoot(tmp).epochs(0).method(simclr).initFrom(weights).build();
            Path runDir = TrainingSession.run(config, r -> { }).run().path();
            float[] torchFeatures = expected.get("resnet50_features").toFloatArray();
            Criteria<Image, float[]> criteria = Criteria.builder()
                    .setTypes(Image.class, float[].class)
                    .optModelPath(runDir)
                    .optTranslator(new FeatureTranslator())
                    .build();
            try (ZooModel<Image, float[]> model = criteria.loadModel();
                 Predictor<Image, float[]> predictor = model.newPredictor()) {
                List<float[]> features = predictor.batchPredict(images);
                for (int i = 0; i < images.size(); i++) {
                    assertEquals(64, features.get(i).length, "32 x width values");
                    for (int d = 0; d < 64; d++) {
                        assertEquals(torchFeatures[i * 64 + d], features.get(i)[d], 1e-5, "image " + i + " dim " + d);
                    }
                }
            }
        }
    }

    @Test
    void aBiggerPictureIsCentreCroppedAndResizedAsTrainingOnAFolderDoes(@TempDir Path tmp) throws Exception {
        BufferedImage wide = new BufferedImage(96, 64, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 96; x++) {
                wide.setRGB(x, y, (x < 16 || x >= 80) ? 0xFF0000 : (x * 3) << 8 | y * 4);
            }
        }
        byte[] planes = new byte[3 * 32 * 32];
        io.selfsup.data.SquareImage.toPlanes(ImageFactory.getInstance().fromImage(wide), planes, 0);
        for (int p = 0; p < 32 * 32; p++) {
            assertTrue(planes[p] == 0, "the red side bands are cropped away (pixel " + p + ")");
        }
    }

    /** The fixture's normalized (N, 3, S, S) pixels back to 8-bit RGB pictures. */
    private static List<Image> images(NDArray x) {
        float[] v = x.toFloatArray();
        int n = (int) x.getShape().get(0);
        int side = (int) x.getShape().get(2);
        int plane = side * side;
        List<Image> images = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            BufferedImage img = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
            for (int p = 0; p < plane; p++) {
                int r = byteOf(v[(i * 3) * plane + p]);
                int g = byteOf(v[(i * 3 + 1) * plane + p]);
                int b = byteOf(v[(i * 3 + 2) * plane + p]);
                img.setRGB(p % side, p / side, r << 16 | g << 8 | b);
            }
            images.add(ImageFactory.getInstance().fromImage(img));
        }
        return images;
    }

    private static int byteOf(float normalized) {
        return Math.round((normalized * 0.5f + 0.5f) * 255f);
    }
}
