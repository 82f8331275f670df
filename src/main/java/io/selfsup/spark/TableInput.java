package io.selfsup.spark;

import io.selfsup.SelfsupException;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * Files named by a table: its {@code path} column (any path Spark reads) and, optionally, a {@code class} column. Each
 * task reads its files itself ({@link FileBytes}), so the driver never lists or holds the files: a table of millions of
 * paths is read like any table. A file that is missing, a folder or too large is its row's error.
 */
final class TableInput implements ImageInput {

    private final List<String> classNames;
    private final FileBytes files;
    private final int classColumn;

    private TableInput(List<String> classNames, FileBytes files, int classColumn) {
        this.classNames = classNames;
        this.files = files;
        this.classColumn = classColumn;
    }

    /** The table's rows as (path[, class]) and the input that reads them. */
    record Read(Dataset<Row> rows, TableInput input) {}

    /**
     * Reads the table at {@code table}: Parquet (a file or a directory of parts), CSV with a header line (a name
     * ending in .csv), or text with one path per line (a name ending in .txt or .lst).
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
        return new Read(rows, new TableInput(names, new FileBytes(spark.sparkContext()),
                classes ? 1 : -1));
    }

    @Override
    public List<String> classNames() {
        return classNames;
    }

    @Override
    public String path(Row row) {
        return files.qualified(row.getString(0));
    }

    @Override
    public byte[] content(Row row) throws IOException {
        return files.read(row.getString(0));
    }

    @Override
    public String classOf(Row row) {
        return classColumn < 0 || row.isNullAt(classColumn) ? null : row.getString(classColumn);
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
    }
}
