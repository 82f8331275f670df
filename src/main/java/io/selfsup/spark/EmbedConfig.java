package io.selfsup.spark;

import io.selfsup.SelfsupException;
import io.selfsup.nn.Pooling;
import java.io.Serializable;

/**
 * What the Spark job embeds and where it writes: sent to every executor with the tasks.
 *
 * @param model a run directory (its final model, else its newest checkpoint) or a parameters file, readable at the
 *              same path on every executor (shared storage, or shipped with spark-submit --archives)
 * @param images any path Spark reads (a folder, searched recursively; HDFS, S3 through the user's Hadoop config), or
 *               null when {@code paths} names the files
 * @param paths a table of the files' paths (Parquet, .csv with a header, .txt with a path per line; a column
 *              {@code path}, optionally {@code class}), or null when {@code images} is a folder
 * @param out the Parquet output directory (Spark's part files); refused if it exists
 * @param pooling how feature maps become vectors, or null for the backbone's default (as ssl-encode)
 * @param batchSize images per forward pass
 * @param partitions how many partitions to embed in (0: 4 per core Spark has)
 */
public record EmbedConfig(String model, String images, String paths, String out, Pooling pooling, int batchSize,
                          int partitions)
        implements Serializable {

    public EmbedConfig {
        if (model == null || (images == null) == (paths == null) || out == null) {
            throw new SelfsupException("pass --run (or --checkpoint), --images or --paths, and --out");
        }
        if (batchSize < 1) {
            throw new SelfsupException("the batch size must be at least 1, got " + batchSize);
        }
        if (partitions < 0) {
            throw new SelfsupException("--partitions must be 0 (4 per core) or more, got " + partitions);
        }
    }
}
