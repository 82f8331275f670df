package io.selfsup.run;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.util.JsonUtils;
import io.selfsup.AtomicFiles;
import io.selfsup.SelfsupException;
import java.awt.image.BufferedImage;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Everything one run writes: config.json, metrics.csv, checkpoints/epoch-NNNN.params after every epoch and
 * model.params at the end. Files that a crash could leave half-written are written under a temporary name
 * and renamed, so a reader only ever sees whole files.
 */
public final class RunDirectory {

    public static final String CONFIG = "config.json";
    public static final String METRICS = "metrics.csv";
    public static final String CHECKPOINTS = "checkpoints";
    public static final String FINAL_MODEL = "model.params";
    public static final String LAST_LINK = "last";
    public static final String PARAMS_SUFFIX = ".params";
    public static final String OPTIMIZER_SUFFIX = ".optimizer";
    private static final Pattern CHECKPOINT = Pattern.compile("epoch-(\\d+)\\.params");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final Path dir;

    private RunDirectory(Path dir) {
        this.dir = dir;
    }

    /**
     * Creates a new run directory: {@code output} when given (which must not hold a run already), else a new
     * timestamped folder under {@code runsRoot}, then pointed at by runsRoot/last.
     */
    public static RunDirectory create(Path output, Path runsRoot) {
        try {
            if (output != null) {
                if (Files.exists(output.resolve(CONFIG))) {
                    throw new SelfsupException("--output " + output + " already holds a run; choose a new folder "
                            + "so nothing in it is overwritten");
                }
                Files.createDirectories(output.resolve(CHECKPOINTS));
                return new RunDirectory(output);
            }
            Files.createDirectories(runsRoot);
            String stamp = LocalDateTime.now().format(STAMP);
            Path dir = runsRoot.resolve(stamp);
            for (int i = 2; Files.exists(dir); i++) {
                dir = runsRoot.resolve(stamp + "-" + i);
            }
            Files.createDirectories(dir.resolve(CHECKPOINTS));
            pointLastAt(runsRoot, dir);
            return new RunDirectory(dir);
        } catch (IOException e) {
            throw new SelfsupException("cannot create the run directory (" + e.getMessage()
                    + "); pass --output to a writable folder", e);
        }
    }

    /** Opens an existing run directory (or the run a "last" link points at) for reading. */
    public static RunDirectory open(Path dir) {
        Path real = dir;
        try {
            real = dir.toRealPath();
        } catch (IOException e) {
            throw new SelfsupException("--run " + dir + " does not exist; pass a run directory written by ssl-train");
        }
        if (!Files.isRegularFile(real.resolve(CONFIG))) {
            throw new SelfsupException("--run " + dir + " is not a run directory (no " + CONFIG
                    + "); pass one written by ssl-train, e.g. runs/last");
        }
        return new RunDirectory(real);
    }

    public Path path() {
        return dir;
    }

    public void writeConfig(Map<String, Object> config) {
        writeAtomically(dir.resolve(CONFIG), os -> os.write(JsonUtils.GSON_PRETTY.toJson(config)
                .getBytes(StandardCharsets.UTF_8)));
    }

    public void appendMetrics(EpochResult result) {
        Path csv = dir.resolve(METRICS);
        try {
            if (!Files.exists(csv)) {
                Files.writeString(csv, EpochResult.CSV_HEADER + "\n");
            }
            Files.writeString(csv, result.csvRow() + "\n", StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new SelfsupException("cannot write " + csv + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes epoch {@code epoch}'s optimizer state, then its parameters: a parameters file whose optimizer
     * file exists is a checkpoint training can resume from.
     */
    public Path writeCheckpoint(int epoch, Block block, Writer optimizerState) {
        writeAtomically(checkpoint(epoch, OPTIMIZER_SUFFIX), optimizerState);
        Path file = checkpoint(epoch, PARAMS_SUFFIX);
        writeParameters(file, block);
        return file;
    }

    /** The newest epoch with both parameters and optimizer state written, or 0. */
    public int lastResumableEpoch() {
        try (Stream<Path> files = Files.list(dir.resolve(CHECKPOINTS))) {
            return files.map(p -> CHECKPOINT.matcher(p.getFileName().toString()))
                    .filter(Matcher::matches)
                    .mapToInt(m -> Integer.parseInt(m.group(1)))
                    .filter(e -> Files.isRegularFile(checkpoint(e, OPTIMIZER_SUFFIX)))
                    .max().orElse(0);
        } catch (IOException e) {
            return 0;
        }
    }

    public Path checkpoint(int epoch, String suffix) {
        return dir.resolve(CHECKPOINTS).resolve(String.format("epoch-%04d%s", epoch, suffix));
    }

    /** config.json as written by ssl-train; its "options" are what the run was started with. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> readConfig() {
        try {
            Map<String, Object> config = JsonUtils.GSON.fromJson(Files.readString(dir.resolve(CONFIG)), Map.class);
            if (config == null || !(config.get("options") instanceof Map)) {
                throw new SelfsupException(dir.resolve(CONFIG) + " has no options; it was not written by ssl-train");
            }
            return config;
        } catch (IOException | RuntimeException e) {
            if (e instanceof SelfsupException se) {
                throw se;
            }
            throw new SelfsupException("cannot read " + dir.resolve(CONFIG) + " (" + e.getMessage() + ")", e);
        }
    }

    /**
     * The run directory a parameters file belongs to (model.params or checkpoints/epoch-NNNN.params), or
     * null when it lies outside one.
     */
    public static RunDirectory containing(Path parameters) {
        Path parent = parameters.toAbsolutePath().normalize().getParent();
        for (Path candidate : new Path[] {parent, parent == null ? null : parent.getParent()}) {
            if (candidate != null && Files.isRegularFile(candidate.resolve(CONFIG))) {
                return new RunDirectory(candidate);
            }
        }
        return null;
    }

    /** Writes a picture (PNG) into the run directory. */
    public Path writePicture(String name, BufferedImage picture) {
        Path file = dir.resolve(name);
        writeAtomically(file, os -> ImageIO.write(picture, "png", os));
        return file;
    }

    /** Writes a text file (an SVG chart, say) into the run directory. */
    public Path writeText(String name, String content) {
        Path file = dir.resolve(name);
        writeAtomically(file, os -> os.write(content.getBytes(StandardCharsets.UTF_8)));
        return file;
    }

    /** The epochs recorded in metrics.csv so far (all of them, for a resumed run too). */
    public List<EpochResult> readMetrics(int epochs) {
        try {
            return Files.readAllLines(dir.resolve(METRICS)).stream().skip(1).map(line -> EpochResult.parse(line, epochs))
                    .toList();
        } catch (IOException | RuntimeException e) {
            throw new SelfsupException("cannot read " + dir.resolve(METRICS) + ": " + e.getMessage(), e);
        }
    }

    public Path writeFinalModel(Block block) {
        Path file = dir.resolve(FINAL_MODEL);
        writeParameters(file, block);
        return file;
    }

    /** The final model if training finished, else the checkpoint of the latest epoch. */
    public Path newestModel() {
        Path model = dir.resolve(FINAL_MODEL);
        if (Files.isRegularFile(model)) {
            return model;
        }
        try (Stream<Path> files = Files.list(dir.resolve(CHECKPOINTS))) {
            Optional<Path> newest = files.filter(p -> CHECKPOINT.matcher(p.getFileName().toString()).matches())
                    .max(Path::compareTo);
            return newest.orElseThrow(() -> new SelfsupException("run " + dir + " has no checkpoint yet; "
                    + "let ssl-train finish an epoch first"));
        } catch (IOException e) {
            throw new SelfsupException("run " + dir + " has no checkpoints folder; pass a run written by ssl-train");
        }
    }

    /** Writes a block's parameters to {@code file}: a temporary file first, then one rename. */
    public static void writeParameters(Path file, Block block) {
        writeAtomically(file, os -> {
            DataOutputStream data = new DataOutputStream(os);
            block.saveParameters(data);
            data.flush();
        });
    }

    /** Loads parameters written by {@link #writeParameters} into a block of the same architecture. */
    public static void readParameters(Path file, Block block, NDManager manager) {
        try (InputStream is = Files.newInputStream(file);
             DataInputStream data = new DataInputStream(new BufferedInputStream(is))) {
            block.loadParameters(manager, data);
        } catch (IOException | MalformedModelException | RuntimeException e) {
            throw new SelfsupException("cannot load model parameters from " + file + " (" + e.getMessage()
                    + "); is it a checkpoint of this model written by ssl-train?", e);
        }
    }

    /** Writes a file's content to a stream. */
    public interface Writer {
        void write(OutputStream os) throws IOException;
    }

    private static void writeAtomically(Path file, Writer writer) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(tmp))) {
                writer.write(os);
            }
            AtomicFiles.replace(tmp, file);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the write already failed; report that
            }
            throw new SelfsupException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static void pointLastAt(Path runsRoot, Path dir) throws IOException {
        Path link = runsRoot.resolve(LAST_LINK);
        Path tmp = runsRoot.resolve(LAST_LINK + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createSymbolicLink(tmp, dir.getFileName());
        Files.move(tmp, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
