package io.selfsup.spark;

import io.selfsup.Limits;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.SerializableConfiguration;

/**
 * Reads a file named as Spark names files, in the task that embeds it, through Hadoop's FileSystem with the driver's
 * Hadoop configuration (broadcast, so S3 keys and the like set on the session reach the executors). Read here rather
 * than by Spark's scan, a file that vanished after the listing, is a folder or is too large is its row's error, where
 * the scan would fail the task and, after its retries, the job.
 */
final class FileBytes implements Serializable {

    private final Broadcast<SerializableConfiguration> hadoop;

    FileBytes(SparkContext spark) {
        this.hadoop = SerializableConfiguration.broadcast(spark);
    }

    /** {@code path} as Spark names files: qualified with its file system (file:/x for a local /x). */
    String qualified(String path) {
        Path p = new Path(path);
        try {
            return p.getFileSystem(hadoop.value().value()).makeQualified(p).toString();
        } catch (IOException | IllegalArgumentException e) {
            return path; // the read reports it
        }
    }

    /** The file's bytes; an IOException (missing, a folder, too large, changed while read) for its error row. */
    byte[] read(String path) throws IOException {
        Path p = new Path(path);
        FileSystem fs = p.getFileSystem(hadoop.value().value());
        FileStatus status = fs.getFileStatus(p);
        if (status.isDirectory()) {
            throw new IOException("a folder, not an image file");
        }
        checkSize(status.getLen());
        byte[] bytes = new byte[(int) status.getLen()];
        try (InputStream in = fs.open(p)) {
            int read = in.readNBytes(bytes, 0, bytes.length);
            if (read < bytes.length || in.read() >= 0) {
                throw new IOException("the file changed while it was read");
            }
        }
        return bytes;
    }

    private static void checkSize(long bytes) throws IOException {
        if (bytes > Limits.SPARK_FILE_BYTES) {
            throw new IOException("file of " + bytes + " bytes, above the " + Limits.SPARK_FILE_BYTES + " this job reads");
        }
    }
}
