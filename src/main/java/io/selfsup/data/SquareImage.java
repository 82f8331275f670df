package io.selfsup.data;

import ai.djl.modality.cv.Image;
import java.awt.AlphaComposite;
import java.awt.Graphics2D;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.DataBufferInt;

/**
 * How any picture becomes a square training image: centre crop to a square, resize to the run's side, and R, G, B
 * planes of bytes. One place, so that training on a folder, ssl-encode and the Java predictor see the same pixels.
 */
public final class SquareImage {

    /** CIFAR's side, the default image size. */
    public static final int SIDE = 32;

    private SquareImage() {}

    /** Writes the image's 3 x 32 x 32 planes at {@code offset} of {@code dst}. */
    public static void toPlanes(Image image, byte[] dst, int offset) {
        toPlanes(image, SIDE, dst, offset);
    }

    /** Writes the image's 3 x {@code side} x {@code side} planes at {@code offset} of {@code dst}. */
    public static void toPlanes(Image image, int side, byte[] dst, int offset) {
        if (!(image.getWrappedImage() instanceof BufferedImage)) {
            throw new IllegalArgumentException("selfsup reads pictures as java.awt BufferedImages (DJL's default "
                    + "ImageFactory), not " + image.getWrappedImage().getClass().getName());
        }
        BufferedImage b = (BufferedImage) image.getWrappedImage();
        int crop = Math.min(b.getWidth(), b.getHeight());
        AreaScaler.toPlanes(rgb(b, (b.getWidth() - crop) / 2, (b.getHeight() - crop) / 2, crop), crop, side, dst,
                offset);
    }

    /**
     * The square's pixels as RGB ints, alpha dropped (as Pillow's {@code convert("RGB")} drops it). Java2D's blit into
     * an int RGB canvas converts every type (BGR JPEGs, palettes, CMYK, 16-bit) in native loops, far faster than
     * {@code getRGB}'s colour-model call per pixel. Gray with alpha is read from its samples instead: both the blit
     * and {@code getRGB} take that type's gray as linear light and brighten it (128 becomes 187), where Pillow and
     * torchvision keep the value.
     */
    private static int[] rgb(BufferedImage b, int x0, int y0, int crop) {
        ColorModel model = b.getColorModel();
        if (model.getColorSpace().getType() == ColorSpace.TYPE_GRAY && model.hasAlpha()) {
            int max = (1 << model.getComponentSize(0)) - 1;
            int[] gray = b.getRaster().getSamples(x0, y0, crop, crop, 0, (int[]) null);
            for (int p = 0; p < gray.length; p++) {
                int v = (int) ((gray[p] * 255L + max / 2) / max);
                gray[p] = v << 16 | v << 8 | v;
            }
            return gray;
        }
        BufferedImage canvas = new BufferedImage(crop, crop, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas.createGraphics();
        try {
            g.setComposite(AlphaComposite.Src);
            g.drawImage(b, -x0, -y0, null);
        } finally {
            g.dispose();
        }
        return ((DataBufferInt) canvas.getRaster().getDataBuffer()).getData();
    }
}
