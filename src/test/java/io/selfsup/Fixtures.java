package io.selfsup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Reads the PyTorch reference fixtures written by scripts/make-fixtures.py and compares against them. */
public final class Fixtures {

    private Fixtures() {}

    public static NDList load(NDManager manager, String name) {
        try (InputStream is = Fixtures.class.getResourceAsStream("/fixtures/" + name + ".npz")) {
            if (is == null) {
                throw new IllegalStateException("missing fixture " + name + ": run scripts/make-fixtures.py");
            }
            return NDList.decode(manager, is);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Asserts equal shapes and max |actual - expected| within rel times the largest |expected|. */
    public static void assertClose(String what, NDArray expected, NDArray actual, double rel) {
        assertArrayEquals(expected.getShape().getShape(), actual.getShape().getShape(), what + " shape");
        float scale = expected.abs().max().getFloat();
        float diff = actual.toDevice(expected.getDevice(), false).sub(expected).abs().max().getFloat();
        assertTrue(diff <= rel * scale,
                what + ": max abs difference " + diff + " exceeds " + rel + " x " + scale);
    }
}
