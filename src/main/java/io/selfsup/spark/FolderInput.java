package io.selfsup.spark;

import java.util.List;
import org.apache.spark.sql.Row;

/** A folder's files as Spark's binaryFile source reads them: rows of (path, content); classes from the folders. */
record FolderInput(FolderClasses classes) implements ImageInput {

    @Override
    public List<String> classNames() {
        return classes.names();
    }

    @Override
    public String path(Row row) {
        return row.getString(0);
    }

    @Override
    public byte[] content(Row row) {
        return (byte[]) row.get(1);
    }

    @Override
    public String classOf(Row row) {
        return classes.classOf(path(row));
    }
}
