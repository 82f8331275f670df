package io.selfsup.data;

import io.selfsup.SelfsupException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Turns the --data argument into a {@link DataSource}. */
public final class DataSources {

    private DataSources() {}

    /** Opens {@code data}, or CIFAR-10 through DJL's download when it is null. */
    public static DataSource open(Path data) {
        if (data == null) {
            return new DjlCifarSource();
        }
        if (!Files.exists(data)) {
            throw new SelfsupException("--data " + data + " does not exist; pass a CIFAR-10 binary folder, "
                    + "its .tar.gz, or leave --data out to download CIFAR-10");
        }
        if (CifarArchiveSource.accepts(data)) {
            return CifarArchiveSource.open(data);
        }
        return CifarFolderSource.find(data).orElseThrow(() -> new SelfsupException("--data " + data
                + " holds no CIFAR-10 binary batches (data_batch_*.bin, test_batch.bin, or a "
                + CifarFolderSource.OFFICIAL_SUBFOLDER + "/ folder); pass such a folder or cifar-10-binary.tar.gz"));
    }
}
