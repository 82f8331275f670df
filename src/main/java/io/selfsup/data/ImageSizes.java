package io.selfsup.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * The image size a run gets when none is asked for: CIFAR's 32 for small pictures, else the data's own size up to
 * what the device trains at a useful rate (docs/benchmarks.md, "Image sizes, resnet50 and folders larger than
 * memory"): 96 pixels on a CPU (STL-10's; a standard-stem ResNet-18 trains faster there than the CIFAR one at 32),
 * 224 on a GPU (ImageNet's).
 */
public final class ImageSizes {

    public static final int CPU_DEFAULT = 96;
    public static final int GPU_DEFAULT = 224;
    /** Headers read to find a folder's typical size: enough for a stable median, a fraction of a second. */
    static final int SAMPLE = 255;

    private ImageSizes() {}

    /** The size for images whose typical shorter side is {@code typicalSide} pixels, on a GPU or a CPU. */
    public static int choose(int typicalSide, boolean gpu) {
        if (typicalSide <= SquareImage.SIDE) {
            return SquareImage.SIDE;
        }
        return Math.min(typicalSide, gpu ? GPU_DEFAULT : CPU_DEFAULT);
    }

    /**
     * The median shorter side of up to {@link #SAMPLE} of {@code files}, spread evenly over them, from their headers
     * alone (no pixels are decoded); empty when none of them has a header ImageIO reads.
     */
    static OptionalInt typicalSide(List<Path> files) {
        List<Integer> sides = new ArrayList<>();
        int step = Math.max(1, files.size() / SAMPLE);
        for (int i = 0; i < files.size() && sides.size() < SAMPLE; i += step) {
            ImageHeader.read(files.get(i)).ifPresent(h -> sides.add(h.shorterSide()));
        }
        if (sides.isEmpty()) {
            return OptionalInt.empty();
        }
        sides.sort(null);
        return OptionalInt.of(sides.get(sides.size() / 2));
    }
}
