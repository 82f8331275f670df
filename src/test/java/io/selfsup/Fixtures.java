package io.selfsup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.List;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Reads the PyTorch reference fixtures written by scripts/fixtures/make-fixtures.py and compares against them. */
public final class Fixtures {

    private Fixtures() {}

    public static NDList load(NDManager manager, String name) {
        try (InputStream is = Fixtures.class.getResourceAsStream("/fixtures/" + name + ".npz")) {
            if (is == null) {
                throw new IllegalStateException("missing fixture " + name + ": run scripts/fixtures/make-fixtures.py");
            }
            return NDList.decode(manager, is);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Copies the fixture's PyTorch state_dict (in its order) into the block's parameters (same order). */
    public static void loadTorchParameters(Block net, NDList fixture, String prefix) {
        List<NDArray> torch = fixture.stream().filter(a -> a.getName().startsWith(prefix)).toList();
        List<Pair<String, Parameter>> ours = net.getParameters().stream().toList();
        assertEquals(torch.size(), ours.size(), "parameter count");
        for (int i = 0; i < ours.size(); i++) {
            NDArray target = ours.get(i).getValue().getArray();
            assertEquals(torch.get(i).getShape(), target.getShape(), torch.get(i).getName() + " vs " + ours.get(i).getKey());
            target.set(torch.get(i).toFloatArray());
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
