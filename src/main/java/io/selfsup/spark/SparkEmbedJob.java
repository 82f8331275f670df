package io.selfsup.spark;

import io.selfsup.SelfsupException;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Spark job: images -> Parquet of one row per file, {@code path} (the file's URI as Spark names it),
 * {@code label} and {@code class} (when the images sit in class folders, as for ssl-train), {@code features}
 * (array of float; null for a file that could not be read or decoded), {@code run} (the run's name) and
 * {@code error} (why, else null). Files are listed with Spark's binaryFile source (recursively, any file system Spark
 * reads) or named by a table ({@link TableInput}); each partition is read and embedded by {@link PartitionEmbedder}. The output is written through
 * Spark's file committer, so a task that fails and runs again leaves no duplicate rows; uncompressed, so
 * {@code ssl-eval --features-train} reads it like ssl-encode's Parquet.
 */
public final class SparkEmbedJob {

    private static final Logger LOG = LoggerFactory.getLogger(SparkEmbedJob.class);
    static final StructType SCHEMA = new StructType()
            .add("path", DataTypes.StringType, false)
            .add("label", DataTypes.IntegerType, true)
            .add("class", DataTypes.StringType, true)
            .add("features", DataTypes.createArrayType(DataTypes.FloatType, false), true)
            .add("run", DataTypes.StringType, false)
            .add("error", DataTypes.StringType, true);

    private SparkEmbedJob() {}

    /** What a finished job wrote. */
    public record Result(long rows, long failed, List<String> firstFailures, double seconds) {
        public double imagesPerSecond() {
            return rows / seconds;
        }
    }

    public static Result run(SparkSession spark, EmbedConfig config) {
        return run(spark, config, embedder -> embedder);
    }

    /** As {@link #run(SparkSession, EmbedConfig)}, each partition's function wrapped (tests make tasks fail). */
    static Result run(SparkSession spark, EmbedConfig config,
                      Function<PartitionEmbedder, MapPartitionsFunction<Row, Row>> wrap) {
        long start = System.nanoTime();
        String source = config.images() != null ? config.images() : config.paths();
        String out = qualified(spark, config.out());
        if (exists(spark, config.out())) {
            throw new SelfsupException(config.out() + " exists; pass another --out (Spark writes a new directory)");
        }
        Dataset<Row> input;
        ImageInput images;
        if (config.images() != null) {
            input = spark.read().format("binaryFile").option("recursiveFileLookup", "true").load(config.images());
            images = new FolderInput(classesOf(spark, config.images(), input), new FileBytes(spark.sparkContext()));
            input = input.select("path"); // binaryFile leaves the content unread when it is not selected
        } else {
            TableInput.Read table = TableInput.read(spark, config.paths());
            input = table.rows();
            images = table.input();
        }
        List<String> names = images.classNames();
        LOG.info(String.format(Locale.ROOT, "listed %s: %s, in %.1f s", source, names.isEmpty()
                ? "no classes" : names.size() + " classes", (System.nanoTime() - start) / 1e9));
        // binaryFile packs small files by Spark's 4 MB open cost: 10,000 photos of 4 KB became ~300 tasks of ~32 files,
        // each a task's overhead and a short batch (Spark 1.7x slower than 2 partitions). By default the partitions
        // are merged, without a shuffle, into 4 per core Spark has
        int wanted = config.partitions() > 0 ? config.partitions()
                : 4 * spark.sparkContext().defaultParallelism();
        int have = input.rdd().getNumPartitions();
        input = wanted < have ? input.coalesce(wanted) : wanted > have ? input.repartition(wanted) : input;
        String run = java.nio.file.Path.of(config.model()).getFileName().toString();
        Dataset<Row> embedded = input.mapPartitions(wrap.apply(new PartitionEmbedder(config, images, run)),
                org.apache.spark.sql.Encoders.row(SCHEMA));
        embedded.write().mode(SaveMode.ErrorIfExists).option("compression", "none").parquet(config.out());
        LOG.info(String.format(Locale.ROOT, "embedded and written after %.1f s", (System.nanoTime() - start) / 1e9));
        Dataset<Row> written = spark.read().parquet(config.out());
        long rows = written.count();
        Dataset<Row> failures = written.where(functions.col("error").isNotNull()).select("path", "error");
        long failed = failures.count();
        List<String> first = failures.limit(3).collectAsList().stream()
                .map(r -> r.getString(0) + ": " + r.getString(1)).toList();
        double seconds = (System.nanoTime() - start) / 1e9;
        LOG.info(String.format(Locale.ROOT, "embedded %d files of %s into %s in %.1f s%s", rows, source, out, seconds,
                failed == 0 ? "" : "; " + failed + " could not be read or decoded (rows whose error is set), e.g. "
                        + String.join("; ", first)));
        return new Result(rows, failed, first, seconds);
    }

    /**
     * The class folders, from the file index Spark listed for the read (the driver holds it anyway; a Spark job over
     * the path column took 11 s for 10,000 local files).
     */
    private static FolderClasses classesOf(SparkSession spark, String folder, Dataset<Row> files) {
        String root = qualified(spark, folder);
        FolderClasses noClasses = new FolderClasses(root, List.of());
        List<String> found = java.util.Arrays.stream(files.inputFiles())
                .map(p -> new org.apache.hadoop.fs.Path(p).toString()) // file:///x as the rows name it, file:/x
                .map(p -> Objects.requireNonNullElse(noClasses.classOf(p), "")).distinct().toList();
        if (found.isEmpty()) {
            throw new SelfsupException("no files under " + folder);
        }
        // "" marks a file in no class folder: then none of the files has a class
        return new FolderClasses(root, found.contains("") ? List.of() : found.stream().sorted().toList());
    }

    private static String qualified(SparkSession spark, String path) {
        try {
            org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
            FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
            return fs.makeQualified(p).toString();
        } catch (IOException e) {
            throw new SelfsupException("cannot reach " + path + ": " + e.getMessage(), e);
        }
    }

    private static boolean exists(SparkSession spark, String path) {
        try {
            org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
            return p.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(p);
        } catch (IOException e) {
            throw new SelfsupException("cannot reach " + path + ": " + e.getMessage(), e);
        }
    }
}
