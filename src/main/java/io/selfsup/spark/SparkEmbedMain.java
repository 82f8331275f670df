package io.selfsup.spark;

import io.selfsup.SelfsupException;
import io.selfsup.console.Logging;
import io.selfsup.nn.Pooling;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code spark-submit --class io.selfsup.spark.SparkEmbedMain selfsup.jar --run RUN --images PATH --out OUT}, and
 * scripts/ssl-spark-embed for Spark's local mode. Apart from the CLI's Main, since its classes need Spark's jars,
 * which only spark-submit and the launcher put on the class path.
 */
@Command(name = "ssl-spark-embed", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Embeds images with a run's network on Apache Spark and writes Parquet: one row per file "
                + "(path, label, class, features, run, error).")
public final class SparkEmbedMain implements Callable<Integer> {

    static final class Model {
        @Option(names = "--run", paramLabel = "DIR", required = true, description = "A run directory (its final "
                + "model, else its newest checkpoint), at the same path on every executor (shared storage, or "
                + "spark-submit --archives run.zip#run and --run run).")
        String run;

        @Option(names = "--checkpoint", paramLabel = "FILE", required = true, description = "A parameters file "
                + "instead of a run.")
        String checkpoint;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Model model;

    static final class Images {
        @Option(names = "--images", paramLabel = "PATH", required = true,
                description = "Images: any path Spark reads (a folder, searched recursively; hdfs://, s3a://).")
        String folder;

        @Option(names = "--paths", paramLabel = "TABLE", required = true, description = "Images named by a table "
                + "instead: Parquet, a .csv with a header or a .txt with one path per line; a column 'path' (any "
                + "path Spark reads) and optionally 'class'. Each task reads its own files.")
        String table;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Images images;

    @Option(names = "--out", paramLabel = "DIR", required = true,
            description = "The Parquet directory to write (refused if it exists).")
    String out;

    @Option(names = "--pool", paramLabel = "flatten|avg", description = "As ssl-encode (default: the backbone's).")
    Pooling pool;

    @Option(names = "--batch-size", defaultValue = "64", description = "Images per forward pass (default: "
            + "${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--partitions", defaultValue = "0", description = "Partitions to embed in (default: 4 per core "
            + "Spark has).")
    int partitions;

    @Option(names = "--master", paramLabel = "URL", description = "Spark master when spark-submit gives none "
            + "(default: local[*], every core of this machine).")
    String master;

    @Option(names = "--verbose", description = "Stack traces with errors.")
    boolean verbose;

    @Override
    public Integer call() {
        EmbedConfig config = new EmbedConfig(model.run != null ? model.run : model.checkpoint, images.folder,
                images.table, out, pool, batchSize, partitions);
        SparkConf conf = new SparkConf().setAppName("selfsup-embed");
        if (!conf.contains("spark.master")) {
            conf.setMaster(master != null ? master : "local[*]");
        }
        SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
        try {
            SparkEmbedJob.Result r = SparkEmbedJob.run(spark, config);
            System.out.printf(Locale.ROOT, "Wrote %d rows to %s in %.1f s (%.0f images/s)%s%n", r.rows(), out,
                    r.seconds(), r.imagesPerSecond(), r.failed() == 0 ? ""
                            : "; " + r.failed() + " files could not be read or decoded (their rows have an error)");
        } finally {
            spark.stop();
        }
        return 0;
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code; errors are one line unless --verbose. */
    static int run(String... args) {
        boolean verbose = Arrays.asList(args).contains("--verbose");
        Logging.configure(verbose);
        CommandLine cli = new CommandLine(new SparkEmbedMain()).setCaseInsensitiveEnumValuesAllowed(true);
        cli.setParameterExceptionHandler((e, a) -> {
            e.getCommandLine().getErr().println("error: " + e.getMessage() + " (see ssl-spark-embed --help)");
            return 2;
        });
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (verbose) {
                e.printStackTrace(cmd.getErr());
            }
            if (e instanceof SelfsupException) {
                cmd.getErr().println("error: " + e.getMessage());
                return 1;
            }
            cmd.getErr().println("internal error: " + e + (verbose ? "" : " (rerun with --verbose for details)"));
            return 3;
        });
        return cli.execute(args);
    }
}
