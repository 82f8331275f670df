package io.selfsup.bench;

import ai.djl.ndarray.NDManager;
import io.selfsup.encode.ParquetFeatures;
import java.nio.file.Path;

/**
 * The feature rows of a Parquet file or directory as ssl-eval reads them (rows without features left out), checked
 * against an expected count: scripts/check/spark-cluster-check's last step.
 *
 * <p>Usage: {@code SELFSUP_MAIN=io.selfsup.bench.FeatureRows scripts/selfsup PATH [EXPECTED_ROWS]}
 */
public final class FeatureRows {

    private FeatureRows() {}

    public static void main(String[] args) {
        try (NDManager manager = NDManager.newBaseManager()) {
            ParquetFeatures.Read read = ParquetFeatures.read(manager, Path.of(args[0]));
            long rows = read.features().getShape().get(0);
            System.out.println(args[0] + ": " + rows + " rows with features of " + read.features().getShape().get(1)
                    + " values" + (read.labels() == null ? "" : ", labelled"));
            if (args.length > 1 && rows != Long.parseLong(args[1])) {
                System.out.println("FAIL: expected " + args[1] + " rows with features");
                System.exit(1);
            }
            System.out.println("OK");
        }
    }
}
