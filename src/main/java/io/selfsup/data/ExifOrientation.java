package io.selfsup.data;

import io.selfsup.Limits;
import java.awt.geom.AffineTransform;
import java.awt.image.AffineTransformOp;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The EXIF orientation of a JPEG (tag 0x0112 of its APP1 "Exif" segment's first IFD) and the turn that puts the
 * picture upright: a phone stores its sensor's pixels and says in this tag how to show them, and neither the JDK's
 * JPEG reader nor DJL applies it. Only the segments before the image data are read; anything that is not a
 * well-formed tag reads as 1 (upright as stored).
 */
final class ExifOrientation {

    /** Upright as stored. */
    static final int NORMAL = 1;
    private static final int TAG = 0x0112;

    private ExifOrientation() {}

    /** The orientation (1 to 8) the file's EXIF states, 1 when it states none or is no JPEG. */
    static int of(byte[] file) {
        try (DataInputStream data = new DataInputStream(new ByteArrayInputStream(file))) {
            if (data.readUnsignedShort() != 0xFFD8) {
                return NORMAL;
            }
            for (int s = 0; s < Limits.EXIF_SEGMENTS; s++) {
                int marker = data.readUnsignedShort();
                if ((marker & 0xFF00) != 0xFF00 || marker == 0xFFDA || marker == 0xFFD9) {
                    return NORMAL; // start of the image data, or not a marker: no EXIF before it
                }
                int length = data.readUnsignedShort() - 2;
                if (length < 0) {
                    return NORMAL;
                }
                byte[] segment = new byte[length];
                data.readFully(segment);
                if (marker == 0xFFE1 && length > 14 && segment[0] == 'E' && segment[1] == 'x' && segment[2] == 'i'
                        && segment[3] == 'f' && segment[4] == 0 && segment[5] == 0) {
                    return fromTiff(ByteBuffer.wrap(segment, 6, length - 6).slice());
                }
            }
        } catch (IOException | RuntimeException e) {
            return NORMAL;
        }
        return NORMAL;
    }

    /** The orientation in a TIFF structure (EXIF's payload): byte order, magic 42, offset of IFD0, its entries. */
    private static int fromTiff(ByteBuffer tiff) {
        if (tiff.remaining() < 8) {
            return NORMAL;
        }
        short order = tiff.getShort(0);
        if (order == 0x4949) {
            tiff.order(ByteOrder.LITTLE_ENDIAN);
        } else if (order != 0x4D4D) {
            return NORMAL;
        }
        if (tiff.getShort(2) != 42) {
            return NORMAL;
        }
        int ifd = tiff.getInt(4);
        if (ifd < 8 || ifd > tiff.limit() - 2) {
            return NORMAL;
        }
        int entries = Short.toUnsignedInt(tiff.getShort(ifd));
        for (int i = 0; i < entries; i++) {
            int at = ifd + 2 + 12 * i;
            if (at + 12 > tiff.limit()) {
                return NORMAL;
            }
            if (Short.toUnsignedInt(tiff.getShort(at)) == TAG) {
                int value = Short.toUnsignedInt(tiff.getShort(at + 8)); // a SHORT, left-justified in the field
                return value >= 1 && value <= 8 ? value : NORMAL;
            }
        }
        return NORMAL;
    }

    /** The picture as it is meant to be seen for {@code orientation} (EXIF's 1 to 8). */
    static BufferedImage upright(BufferedImage image, int orientation) {
        if (orientation <= NORMAL || orientation > 8) {
            return image;
        }
        int w = image.getWidth();
        int h = image.getHeight();
        AffineTransform t = new AffineTransform();
        switch (orientation) {
            case 2 -> { t.translate(w, 0); t.scale(-1, 1); }                    // mirrored
            case 3 -> { t.translate(w, h); t.rotate(Math.PI); }                 // upside down
            case 4 -> { t.translate(0, h); t.scale(1, -1); }                    // mirrored vertically
            case 5 -> { t.rotate(Math.PI / 2); t.scale(1, -1); }                // transposed
            case 6 -> { t.translate(h, 0); t.rotate(Math.PI / 2); }             // turned a quarter clockwise
            case 7 -> { t.scale(-1, 1); t.translate(-h, 0); t.translate(0, w); t.rotate(3 * Math.PI / 2); }
            default -> { t.translate(0, w); t.rotate(3 * Math.PI / 2); }        // 8: a quarter counter-clockwise
        }
        boolean turned = orientation >= 5;
        BufferedImage out = new BufferedImage(turned ? h : w, turned ? w : h, BufferedImage.TYPE_INT_RGB);
        new AffineTransformOp(t, AffineTransformOp.TYPE_NEAREST_NEIGHBOR).filter(toRgb(image), out);
        return out;
    }

    private static BufferedImage toRgb(BufferedImage image) {
        if (image.getType() == BufferedImage.TYPE_INT_RGB) {
            return image;
        }
        BufferedImage rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        rgb.getGraphics().drawImage(image, 0, 0, null);
        return rgb;
    }
}
