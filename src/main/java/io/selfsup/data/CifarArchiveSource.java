package io.selfsup.data;

import ai.djl.util.TarUtils;
import io.selfsup.SelfsupException;
import io.selfsup.files.TempFiles;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** The official cifar-10-binary.tar.gz, unpacked into a temporary folder that is removed on close. */
public final class CifarArchiveSource implements DataSource {

    private final Path archive;
    private final Path unpacked;
    private final CifarFolderSource folder;

    private CifarArchiveSource(Path archive) {
        this.archive = archive;
        try {
            unpacked = TempFiles.register(Files.createTempDirectory("selfsup-cifar"));
            try (InputStream is = new BufferedInputStream(Files.newInputStream(archive))) {
                TarUtils.untar(is, unpacked, true);
            }
        } catch (IOException e) {
            close();
            throw new SelfsupException("cannot unpack " + archive + " (" + e.getMessage()
                    + "); pass the official cifar-10-binary.tar.gz or its unpacked folder", e);
        }
        folder = CifarFolderSource.find(unpacked).orElseThrow(() -> {
            close();
            return new SelfsupException(archive + " holds no CIFAR-10 binary batches; pass cifar-10-binary.tar.gz");
        });
    }

    public static boolean accepts(Path path) {
        String name = path.getFileName() == null ? "" : path.getFileName().toString();
        return Files.isRegularFile(path) && (name.endsWith(".tar.gz") || name.endsWith(".tgz"));
    }

    public static CifarArchiveSource open(Path archive) {
        return new CifarArchiveSource(archive);
    }

    @Override
    public boolean has(Split split) {
        return folder.has(split);
    }

    @Override
    public ImageStore load(Split split) {
        return folder.load(split);
    }

    @Override
    public String howToAddTestImages() {
        return "pass the complete cifar-10-binary.tar.gz";
    }

    @Override
    public String describe() {
        return "CIFAR-10 archive " + archive.toAbsolutePath().normalize();
    }

    @Override
    public void close() {
        if (unpacked != null) {
            TempFiles.delete(unpacked);
        }
    }
}
