package io.selfsup.weights;

import io.selfsup.files.AtomicFiles;
import io.selfsup.SelfsupException;
import io.selfsup.files.TempFiles;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** The file formats a state_dict is exchanged in, chosen by the file's extension. */
public enum WeightFormat {
    SAFETENSORS(".safetensors"),
    NPZ(".npz");

    private final String extension;

    WeightFormat(String extension) {
        this.extension = extension;
    }

    public String extension() {
        return extension;
    }

    /** The format of {@code file} by its extension, or a one-line error naming the supported ones. */
    public static WeightFormat of(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        for (WeightFormat f : values()) {
            if (name.endsWith(f.extension)) {
                return f;
            }
        }
        throw new SelfsupException(file + ": weights files end in .safetensors or .npz; rename it or choose one "
                + "of those for --out");
    }

    /** Reads a weights file; any defect is a one-line error naming the file and what is wrong. */
    public static StateDict read(Path file) {
        WeightFormat format = of(file);
        if (!Files.isRegularFile(file)) {
            throw new SelfsupException(file + " is not a file; pass a .safetensors or .npz written by ssl-export or "
                    + "PyTorch");
        }
        try {
            return format == SAFETENSORS ? Safetensors.read(file) : Npz.read(file);
        } catch (IOException e) {
            throw new SelfsupException("cannot read weights from " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes {@code dict} to {@code file} through a temporary file renamed into place, so an interrupted
     * export leaves no partial file; an existing file is replaced only when {@code overwrite} is set.
     */
    public static void write(StateDict dict, Path file, boolean overwrite) {
        WeightFormat format = of(file);
        if (Files.isDirectory(file) || (!overwrite && Files.exists(file))) {
            throw new SelfsupException(file + " already exists; choose another --out or pass --overwrite");
        }
        Path dir = file.toAbsolutePath().getParent();
        // registered, so that Ctrl-C removes it too (as ssl-encode's unfinished .npz)
        Path tmp = TempFiles.register(dir.resolve("." + file.getFileName() + ".tmp"));
        try {
            Files.createDirectories(dir);
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20)) {
                if (format == SAFETENSORS) {
                    Safetensors.write(dict, out);
                } else {
                    Npz.write(dict, out);
                }
            }
            AtomicFiles.replace(tmp, file);
        } catch (IOException e) {
            throw new SelfsupException("cannot write " + file + ": " + e.getMessage(), e);
        } finally {
            TempFiles.delete(tmp);
        }
    }
}
