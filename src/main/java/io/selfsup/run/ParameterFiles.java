package io.selfsup.run;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import io.selfsup.files.AtomicFiles;
import io.selfsup.SelfsupException;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** A block's parameters in DJL's format, as model.params and every checkpoint's .params file hold them. */
public final class ParameterFiles {

    private ParameterFiles() {}

    /** Writes a block's parameters to {@code file}: a temporary file first, then one rename. */
    public static void write(Path file, Block block) {
        try {
            AtomicFiles.writeDurably(file, writer(block));
        } catch (IOException e) {
            throw new SelfsupException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Loads parameters written by {@link #write} into a block of the same architecture. */
    public static void read(Path file, Block block, NDManager manager) {
        try (InputStream is = Files.newInputStream(file);
             DataInputStream data = new DataInputStream(new BufferedInputStream(is))) {
            block.loadParameters(manager, data);
        } catch (IOException | MalformedModelException | RuntimeException e) {
            throw new SelfsupException("cannot load model parameters from " + file + " (" + e.getMessage()
                    + "); is it a checkpoint of this model written by ssl-train?", e);
        }
    }

    /** The content of a parameters file, for a writer that reports its own errors (a checkpoint's). */
    static AtomicFiles.Writer writer(Block block) {
        return os -> {
            DataOutputStream data = new DataOutputStream(os);
            block.saveParameters(data);
            data.flush();
        };
    }
}
