package io.selfsup.spark;

import java.io.IOException;
import java.util.List;
import org.apache.spark.sql.Row;

/**
 * A folder's files as Spark's binaryFile source lists them (any file system; rows of their paths, the content left to
 * {@link FileBytes} in the task); classes from the folders.
 */
record FolderInput(FolderClasses classes, FileBytes files) implements ImageInput {

    @Override
    public List<String> classNames() {
        return classes.names();
    }

    @Override
    public String path(Row row) {
        return row.getString(0);
    }

    @Override
    public byte[] content(Row row) throws IOException {
        return files.read(path(row));
    }

    @Override
    public String classOf(Row row) {
        return classes.classOf(path(row));
    }
}
