package io.selfsup.spark;

import java.io.Serializable;
import java.util.List;

/**
 * The class of an image from its path, as ssl-train reads a folder (torchvision's ImageFolder layout): ROOT/CLASS/file,
 * or ROOT/train/CLASS/file and ROOT/test/CLASS/file. Images elsewhere have none.
 *
 * @param root the images' root as Spark qualifies paths (e.g. file:/data/photos), without a trailing slash
 * @param names the class names, sorted (a label is an index into them), or empty when the images have no classes
 */
record FolderClasses(String root, List<String> names) implements Serializable {

    /** The image's path under the root ('/'-separated), or null when it is not under it. */
    String relative(String path) {
        return path.startsWith(root + "/") ? path.substring(root.length() + 1) : null;
    }

    /** The class folder of an image at {@code path}, or null when it sits in none. */
    String classOf(String path) {
        String relative = relative(path);
        if (relative == null) {
            return null;
        }
        String[] parts = relative.split("/");
        if (parts.length == 2) {
            return parts[0];
        }
        return parts.length == 3 && (parts[0].equals("train") || parts[0].equals("test")) ? parts[1] : null;
    }
}
