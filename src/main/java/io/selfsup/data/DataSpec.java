package io.selfsup.data;

import io.selfsup.SelfsupException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What --data asks for: where the images are, how a folder without train/ and test/ is split, the side its images
 * are resized to, and where decoded pixels of image folders are cached.
 *
 * @param path the data (null: CIFAR-10 through DJL's download)
 * @param testFraction share of a folder's images held out as its test split when it has no test/ folder
 * @param splitSeed seed of that split (the run's --seed)
 * @param cacheDir where decoded pixels of image folders are kept between runs, or null for no cache
 * @param imageSize side of the square images a folder's pictures are cropped and resized to (CIFAR's are 32)
 */
public record DataSpec(Path path, double testFraction, long splitSeed, Path cacheDir, int imageSize) {

    public static final double DEFAULT_TEST_FRACTION = 0.1;

    public DataSpec {
        if (!(testFraction >= 0 && testFraction < 1)) {
            throw new SelfsupException("the test fraction must be at least 0 and below 1 (0 holds nothing out), got "
                    + testFraction);
        }
        if (imageSize < 1) {
            throw new SelfsupException("the image size must be at least 1 pixel, got " + imageSize);
        }
    }

    /** 32-pixel images, CIFAR's. */
    public DataSpec(Path path, double testFraction, long splitSeed, Path cacheDir) {
        this(path, testFraction, splitSeed, cacheDir, SquareImage.SIDE);
    }

    /** {@code path} with the default split, 32-pixel images and no pixel cache (what library callers and tests want). */
    public static DataSpec of(Path path) {
        return new DataSpec(path, DEFAULT_TEST_FRACTION, 0, null);
    }

    public DataSpec withPath(Path value) {
        return new DataSpec(value, testFraction, splitSeed, cacheDir, imageSize);
    }

    public DataSpec withTestFraction(double value) {
        return new DataSpec(path, value, splitSeed, cacheDir, imageSize);
    }

    public DataSpec withCacheDir(Path value) {
        return new DataSpec(path, testFraction, splitSeed, value, imageSize);
    }

    public DataSpec withImageSize(int value) {
        return new DataSpec(path, testFraction, splitSeed, cacheDir, value);
    }

    /**
     * The pixel cache's usual place: the system property selfsup.cache, else $SELFSUP_CACHE, else
     * $XDG_CACHE_HOME/selfsup, else ~/.cache/selfsup.
     */
    public static Path defaultCacheDir() {
        String property = System.getProperty("selfsup.cache");
        if (property != null && !property.isBlank()) {
            return Path.of(property);
        }
        String env = System.getenv("SELFSUP_CACHE");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("selfsup");
    }

    /** How config.json and logs name the split: "10% of the files, by a hash of path and seed 0". */
    public String describeSplit() {
        return String.format(Locale.ROOT, "%s%% of the images, chosen by a hash of each path and seed %d",
                new java.math.BigDecimal(testFraction * 100).round(new java.math.MathContext(6))
                        .stripTrailingZeros().toPlainString(), splitSeed);
    }
}
