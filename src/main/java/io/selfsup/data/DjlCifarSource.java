package io.selfsup.data;

import ai.djl.Application;
import ai.djl.basicdataset.BasicDatasets;
import ai.djl.repository.Artifact;
import ai.djl.repository.MRL;
import ai.djl.repository.Repository;
import ai.djl.util.Utils;
import io.selfsup.SelfsupException;
import java.io.IOException;
import java.io.InputStream;

/**
 * CIFAR-10 from DJL's basicdataset repository, downloaded into DJL's cache on first use. Reads the cached
 * uint8 files itself instead of through basicdataset's {@code Cifar10}, which would turn the whole set into
 * float32 (about 600 MB for the training split).
 */
public final class DjlCifarSource implements DataSource {

    private static final String ARTIFACT = "cifar10";
    private static final String VERSION = "1.0";

    private final MRL mrl;
    private Artifact artifact;

    public DjlCifarSource() {
        this(BasicDatasets.REPOSITORY);
    }

    public DjlCifarSource(Repository repository) {
        mrl = MRL.dataset(repository, Application.CV.ANY, BasicDatasets.GROUP_ID, ARTIFACT, VERSION);
    }

    @Override
    public boolean has(Split split) {
        return true;
    }

    @Override
    public ImageStore load(Split split) {
        String file = split == Split.TRAIN ? "data_batch.bin" : "test_batch.bin";
        try {
            Artifact a = artifact();
            Artifact.Item item = a.getFiles().get(file);
            try (InputStream is = mrl.getRepository().openStream(item, null)) {
                return CifarBinary.parse("DJL's CIFAR-10 " + file, Utils.toByteArray(is));
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof SelfsupException se) {
                throw se;
            }
            throw new SelfsupException("could not download CIFAR-10 through DJL (" + oneLine(e)
                    + "); offline, pass a local copy: --data data/cifar10-mini or --data PATH/cifar-10-batches-bin", e);
        }
    }

    private Artifact artifact() throws IOException {
        if (artifact == null) {
            Artifact a = mrl.getDefaultArtifact();
            if (a == null) {
                throw new IOException("the repository lists no CIFAR-10 artifact");
            }
            mrl.prepare(a);
            artifact = a;
        }
        return artifact;
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? "" : e.getMessage();
        int nl = m.indexOf('\n');
        return e.getClass().getSimpleName() + (m.isEmpty() ? "" : ": " + (nl < 0 ? m : m.substring(0, nl)));
    }

    @Override
    public String describe() {
        return "CIFAR-10 from DJL's repository (" + mrl + ")";
    }
}
