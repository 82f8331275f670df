package io.selfsup.encode;

import ai.djl.ndarray.NDArray;
import io.selfsup.data.ImageStore;
import java.io.Closeable;
import java.io.IOException;
import java.util.List;

/** Where ssl-encode's features go, batch by batch in image order: an .npz archive or a Parquet file. */
interface FeatureSink extends Closeable {

    /**
     * Rows (n, D) float32 for images {@code first} to {@code first + n - 1} of {@code part}, the {@code split}-th
     * part (0 train, 1 test).
     */
    void accept(ImageStore part, int split, int first, NDArray rows) throws IOException;

    /** After the last batch of the last part: what the format keeps apart from the rows. */
    void finish(List<ImageStore> parts) throws IOException;
}
