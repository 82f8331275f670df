package io.selfsup.spark;

import io.selfsup.SelfsupException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.util.SerializableConfiguration;

/**
 * Files named by a table: its {@code path} column (any path Spark reads) and, optionally, a {@code class} column. Each
 * task opens its files itself, with the driver's Hadoop configuration (broadcast, so S3 keys and the like set on the
 * session reach the executors), so the driver never lists or holds the files: a table of millions of paths is read
 * like any table. A file that is missing, a folder or too large is its row's error.
 */
final class TableInput implements ImageInput {

    /** Java arrays end near 2 GB; no image this job decodes comes near a quarter of that. */
    static final long MAX_FILE_BYTES = 512L << 20;

    private final List<String> classNames;
    private final Broadcast<SerializableConfiguration> hadoop;
    private final int classColumn;

    private TableInput(List<String> classNames, Broadcast<SerializableConfiguration> hadoop, int classColumn) {
        this.classNames = classNames;
        this.hadoop = hadoop;
        this.classColumn = classColumn;
    }

    /** The table's rows as (path[, class]) and the input that reads them. */
    record Read(Dataset<Row> rows, TableInput input) {}

    /**
     * Reads the table at {@code table}: Parquet (a file or a directory of parts), CSV with a header line (a name ending in
     * .csv), or text with one path per line (any other name ending in .txt or .lst).
     */
    static Read read(SparkSession spark, String table) {
        String name = table.toLowerCase(Locale.ROOT);
        Dataset<Row> rows;
        try {
            if (name.endsWith(".csv")) {
                rows = spark.read().option("header", "true").csv(table);
            } else if (name.endsWith(".txt") || name.endsWith(".lst")) {
                rows = spark.read().text(table).withColumnRenamed("value", "path");
            } else {
                rows = spark.read().parquet(table);
            }
        } catch (Exception e) { // Spark's AnalysisException (missing path, not Parquet) is not declared to Java
            throw new SelfsupException("cannot read the table of paths " + table + ": " + firstLine(e.getMessage())
                    + "; pass Parquet, a .csv with a header or a .txt with one path per line", e);
        }
        List<String> columns = Arrays.asList(rows.columns());
        if (!columns.contains("path")) {
            throw new SelfsupException("the table of paths " + table + " has no column 'path' (its columns: "
                    + String.join(", ", columns) + ")");
        }
        boolean classes = columns.contains("class");
        rows = classes ? rows.select(functions.col("path").cast("string"), functions.col("class").cast("string"))
                : rows.select(functions.col("path").cast("string"));
        rows = rows.where(functions.col("path").isNotNull().and(functions.length(functions.col("path")).gt(0)));
        List<String> names = classes ? rows.select("class").where(functions.col("class").isNotNull()).distinct()
                .collectAsList().stream().map(r -> r.getString(0)).sorted().toList() : List.of();
        return new Read(rows, new TableInput(names, SerializableConfiguration.broadcast(spark.sparkContext()),
                classes ? 1 : -1));
    }

    @Override
    public List<String> classNames() {
        return classNames;
    }

    @Override
    public String path(Row row) {
        Path path = new Path(row.getString(0));
        try {
            return path.getFileSystem(hadoop.value().value()).makeQualified(path).toString();
        } catch (IOException | IllegalArgumentException e) {
            return row.getString(0); // the read reports it
        }
    }

    @Override
    public byte[] content(Row row) throws IOException {
        Path path = new Path(row.getString(0));
        FileSystem fs = path.getFileSystem(hadoop.value().value());
        FileStatus status = fs.getFileStatus(path);
        if (status.isDirectory()) {
            throw new IOException("a folder, not an image file");
        }
        if (status.getLen() > MAX_FILE_BYTES) {
            throw new IOException("file of " + status.getLen() + " bytes, above the " + MAX_FILE_BYTES
                    + " this job reads");
        }
        byte[] bytes = new byte[(int) status.getLen()];
        try (InputStream in = fs.open(path)) {
            int read = in.readNBytes(bytes, 0, bytes.length);
            if (read < bytes.length || in.read() >= 0) {
                throw new IOException("the file changed while it was read");
            }
        }
        return bytes;
    }

    @Override
    public String classOf(Row row) {
        return classColumn < 0 || row.isNullAt(classColumn) ? null : row.getString(classColumn);
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
    }
}
