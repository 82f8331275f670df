package io.selfsup.data;

/** Somewhere images come from; each split is read into one uint8 {@link ImageStore}. */
public interface DataSource extends AutoCloseable {

    /** Whether the source has images for this split (a folder may hold training batches only). */
    boolean has(Split split);

    /** Reads a split; throws {@link io.selfsup.SelfsupException} with a fix when it cannot. */
    ImageStore load(Split split);

    /** What the user can do when {@link #has(Split)} says there is no test split; for error messages. */
    default String howToAddTestImages() {
        return "pass data with held-out test images";
    }

    /**
     * The typical shorter side of the source's images in pixels, from which a run's image size is chosen when none
     * is given; CIFAR-10's 32 unless the source knows better.
     */
    default int typicalSide() {
        return CifarBinary.SIDE;
    }

    /**
     * The same images read at {@code size} pixels, without finding them again; a source of one size (CIFAR-10)
     * refuses another one with a fix.
     */
    default DataSource atImageSize(int size) {
        return DataSources.checkCifarSize(this, size);
    }

    /** One line for logs and config.json: what was read, from where. */
    String describe();

    @Override
    default void close() {}
}
