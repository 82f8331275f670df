package io.selfsup.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** --data, the same for every command: where the images come from. */
final class DataOption {
    @Option(names = "--data", paramLabel = "PATH", description = "CIFAR-10 binary folder (data_batch_*.bin, "
            + "test_batch.bin), the folder holding cifar-10-batches-bin/, cifar-10-binary.tar.gz, or a folder "
            + "of images (JPEG/PNG/BMP/GIF; class subfolders are labels, train/ and test/ are splits). "
            + "Default: CIFAR-10 downloaded through DJL.")
    Path path;
}
