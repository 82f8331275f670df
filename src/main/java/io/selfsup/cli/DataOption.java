package io.selfsup.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** --data, the same for every command: where the images come from. */
final class DataOption {
    @Option(names = "--data", paramLabel = "PATH", description = "CIFAR-10 binary folder (data_batch_*.bin, "
            + "test_batch.bin), the folder holding cifar-10-batches-bin/, or cifar-10-binary.tar.gz. "
            + "Default: CIFAR-10 downloaded through DJL.")
    Path path;
}
