package io.selfsup.data.augment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.selfsup.Fixtures;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Proves that a view made by {@link ViewAugmenter#apply} from given parameters is the view torchvision 0.14
 * makes with the same parameters (scripts/fixtures/make-augment-fixtures.py), on real CIFAR images, for every
 * operation, several jitter orders, extreme hue shifts, a 2x3 crop and a one-channel input.
 *
 * <p>Tolerance 1e-5 on normalized values, hue cases included: the Java code repeats PyTorch's float32
 * operations in PyTorch's order, so what remains is rounding where libtorch's kernels may fuse or reorder
 * (FMA in the bilinear kernel, pairwise summation in the contrast mean), a few ulp of 1.0. The measured
 * maximum is printed.
 */
class AugmentTorchvisionParityTest {

    private static final float TOLERANCE = 1e-5f;

    /** torchvision's gaussian_blur between grayscale and solarization, at 32 pixels (3 taps) and 96 (9 taps). */
    @ParameterizedTest
    @ValueSource(strings = {"blur_small_sigma", "blur_gray_solarize", "blur_96", "blur_96_solarize"})
    void blurredViewMatchesTorchvision(String name) {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList fixture = Fixtures.load(manager, "augment_" + name);
            byte[] image = fixture.get("image").toByteArray();
            long[] crop = fixture.get("crop").toLongArray();
            long[] flags = fixture.get("flags").toLongArray();
            int size = (int) fixture.get("size").getLong();
            double sigma = fixture.get("blur").getDouble();
            ViewParameters p = new ViewParameters((int) crop[0], (int) crop[1], (int) crop[2], (int) crop[3], false,
                    false, 1, 1, 1, 0, List.of(ViewParameters.JitterOp.values()), flags[2] != 0, flags[3] != 0, sigma);
            float[] expected = fixture.get("view").toFloatArray();
            float[] actual = new float[3 * size * size];
            new ViewAugmenter(AugmentationRecipe.simclr(), size, 1).apply(p, image, 0, 3, 32, 32, actual, 0);
            float max = 0;
            for (int k = 0; k < expected.length; k++) {
                max = Math.max(max, Math.abs(actual[k] - expected[k]));
            }
            System.out.printf("augment_%s: max abs error %.3g%n", name, max);
            assertTrue(max <= TOLERANCE, name + ": max abs error " + max + " > " + TOLERANCE);
            // and the blur mattered: the same view unblurred is far from torchvision's
            ViewParameters sharp = new ViewParameters(p.top(), p.left(), p.cropHeight(), p.cropWidth(), false, false,
                    1, 1, 1, 0, p.jitterOrder(), p.grayscale(), p.solarize());
            new ViewAugmenter(AugmentationRecipe.simclr(), size, 1).apply(sharp, image, 0, 3, 32, 32, actual, 0);
            float unblurred = 0;
            for (int k = 0; k < expected.length; k++) {
                unblurred = Math.max(unblurred, Math.abs(actual[k] - expected[k]));
            }
            assertTrue(unblurred > 100 * TOLERANCE, name + ": without the blur the view differs by " + unblurred);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"crop_only", "full_flip", "jitter_bcsh", "jitter_hscb", "jitter_chbs_gray",
            "jitter_sbhc_solarize", "everything", "hue_half_turn", "hue_minus_half", "tiny_crop", "gray_input"})
    void viewMatchesTorchvision(String name) {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList fixture = Fixtures.load(manager, "augment_" + name);
            byte[] image = fixture.get("image").toByteArray();
            int channels = (int) fixture.get("image").getShape().get(0);
            long[] crop = fixture.get("crop").toLongArray();
            long[] flags = fixture.get("flags").toLongArray();
            double[] factors = fixture.get("factors").toDoubleArray();
            List<ViewParameters.JitterOp> order = Arrays.stream(fixture.get("order").toLongArray())
                    .mapToObj(i -> ViewParameters.JitterOp.values()[(int) i]).toList();
            ViewParameters p = new ViewParameters((int) crop[0], (int) crop[1], (int) crop[2], (int) crop[3],
                    flags[0] != 0, flags[1] != 0, factors[0], factors[1], factors[2], factors[3], order,
                    flags[2] != 0, flags[3] != 0);
            float[] expected = fixture.get("view").toFloatArray();

            ViewAugmenter augmenter = new ViewAugmenter(AugmentationRecipe.simclr(), 32, 1);
            float[] actual = new float[3 * 32 * 32 + 5];
            augmenter.apply(p, image, 0, channels, 32, 32, actual, 5);

            float max = 0;
            for (int k = 0; k < expected.length; k++) {
                max = Math.max(max, Math.abs(actual[5 + k] - expected[k]));
            }
            System.out.printf("augment_%s: max abs error %.3g%n", name, max);
            assertTrue(max <= TOLERANCE, name + ": max abs error " + max + " > " + TOLERANCE);
            assertEquals(0f, actual[0], "writes nothing before dstOffset");
        }
    }
}
