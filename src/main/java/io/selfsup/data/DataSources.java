package io.selfsup.data;

import io.selfsup.SelfsupException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Turns the --data argument into a {@link DataSource}: CIFAR-10 files first, else a folder of images. */
public final class DataSources {

    private DataSources() {}

    /** Opens {@code data} with the default split and no pixel cache, or CIFAR-10 through DJL when it is null. */
    public static DataSource open(Path data) {
        return open(DataSpec.of(data));
    }

    /** Opens the spec's data, or CIFAR-10 through DJL's download when its path is null. */
    public static DataSource open(DataSpec spec) {
        Path data = spec.path();
        if (data == null) {
            return cifar(new DjlCifarSource(), spec);
        }
        if (!Files.exists(data)) {
            throw new SelfsupException("--data " + data + " does not exist; pass a CIFAR-10 binary folder, "
                    + "its .tar.gz, or leave --data out to download CIFAR-10");
        }
        if (CifarArchiveSource.accepts(data)) {
            return cifar(CifarArchiveSource.open(data), spec);
        }
        Optional<? extends DataSource> cifar = CifarFolderSource.find(data);
        if (cifar.isPresent()) {
            return cifar(cifar.get(), spec);
        }
        return ImageFolderSource.find(data, spec).orElseThrow(() -> new SelfsupException("--data " + data
                + " holds no CIFAR-10 binary batches (data_batch_*.bin, test_batch.bin, or a "
                + CifarFolderSource.OFFICIAL_SUBFOLDER + "/ folder) and no images (JPEG, PNG, BMP, GIF, WebP, TIFF); "
                + "pass such a folder or cifar-10-binary.tar.gz"));
    }

    /** CIFAR-10 is read as it is stored: asking for another size is a mistake worth naming before any work. */
    private static DataSource cifar(DataSource source, DataSpec spec) {
        return checkCifarSize(source, spec.imageSize());
    }

    static DataSource checkCifarSize(DataSource source, int size) {
        if (size != CifarBinary.SIDE) {
            source.close();
            throw new SelfsupException("CIFAR-10's images are " + CifarBinary.SIDE + "x" + CifarBinary.SIDE + " but "
                    + size + "-pixel images were asked for (--image-size, or a run trained at that size); "
                    + "pass --image-size " + CifarBinary.SIDE + " or a folder of images");
        }
        return source;
    }
}
