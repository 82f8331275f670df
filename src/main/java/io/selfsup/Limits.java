package io.selfsup;

/**
 * Every bound selfsup puts on what it is given, in one place with its reason: sizes, counts and bytes beyond which an
 * input is a typo, a damaged file or an attack, refused with a one-line error before memory is allocated for it.
 */
public final class Limits {

    /**
     * The most pixels an image may declare: Pillow's refusal threshold (twice its MAX_IMAGE_PIXELS, 89,478,485), a
     * 13,000 x 13,000 picture; decoding one takes 716 MB as ARGB. A file declaring more is skipped unread.
     */
    public static final long IMAGE_PIXELS = 178_956_970L;
    /** Larger training images than this do not fit a batch worth training in any device's memory. */
    public static final int IMAGE_SIZE = 1024;
    /** Network widths beyond this do not fit a machine's memory at any batch worth training. */
    public static final int WIDTH = 1024;
    /** More local views than this multiply a step's cost beyond any recipe's use (DINO uses 10). */
    public static final int LOCAL_VIEWS = 64;
    /**
     * The largest batch: the self-supervised literature's largest are 32,768 images spread over many accelerators;
     * beyond twice that, a batch is a typo or an edited config.json, and libtorch would try to allocate it whole.
     */
    public static final int BATCH_SIZE = 65_536;
    /** libtorch starts every intra-op thread at once; far beyond any machine's cores they only contend. */
    public static final int THREADS = 1024;
    /** A weight file is read into one Java buffer (a ResNet-50's weights are 100 MB; Java's arrays end at 2 GB). */
    public static final long WEIGHT_FILE_BYTES = Integer.MAX_VALUE;
    /** The safetensors reference implementation refuses headers above 100 MB; so does selfsup. */
    public static final long SAFETENSORS_HEADER_BYTES = 100_000_000L;
    /** NumPy pads its .npy headers to 64 bytes and writes a few hundred; 1 MB is far beyond any it writes. */
    public static final int NPY_HEADER_BYTES = 1 << 20;
    /** The Spark job reads a file into one array; no image it decodes comes near this (Java's arrays end near 2 GB). */
    public static final long SPARK_FILE_BYTES = 512L << 20;
    /** APP1 segments are at most 64 KB; more than this many segments before the image is no JPEG a camera wrote. */
    public static final int EXIF_SEGMENTS = 64;
    /**
     * The longest one file may keep a decoding thread: the largest image selfsup decodes (above) takes a few seconds on
     * a slow core; a file still being decoded after a minute is sending its decoder into a loop, and is skipped.
     */
    public static final long DECODE_MILLIS_PER_FILE = 60_000;

    private Limits() {}
}
