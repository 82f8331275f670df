package io.selfsup.spark;

import java.io.IOException;
import java.io.Serializable;
import java.util.List;
import org.apache.spark.sql.Row;

/**
 * Where the job's files come from, as one partition's rows: each row's path (as Spark names files: file:/x,
 * hdfs://h/x), the file's bytes and its class. {@link FolderInput} reads a folder with Spark's binaryFile source; {@link TableInput}
 * takes the paths from a table and reads each file in the task that embeds it.
 */
interface ImageInput extends Serializable {

    /** The class names (a label is an index into them), sorted; empty when the files have no classes. */
    List<String> classNames();

    String path(Row row);

    /** The file's bytes; an IOException makes the file's row an error row, never a failed task. */
    byte[] content(Row row) throws IOException;

    /** The file's class, or null when it has none. */
    String classOf(Row row);
}
