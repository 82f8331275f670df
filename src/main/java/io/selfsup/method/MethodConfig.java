package io.selfsup.method;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import io.selfsup.Limits;
import io.selfsup.SelfsupException;
import io.selfsup.data.augment.AugmentationRecipe;
import io.selfsup.data.augment.ViewPlan;
import io.selfsup.nn.BackboneType;
import io.selfsup.nn.Stem;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a run builds: the method, its backbone, width and stem, the method's own settings and the recipe and size of
 * each view (the global views' size is the run's image size).
 * Written to config.json as "method" ({@link #toMap}), from which ssl-encode, ssl-eval, ssl-export and --resume
 * rebuild the same network ({@link #fromMap}).
 *
 * @param width channels of a ResNet's first stage (64: the standard network; 0 before the device's default is
 *              chosen, {@link #resolveWidth}); 0 for a backbone without a width
 * @param stem the ResNet stem; null for the one that suits the image size ({@link Stem#forImageSize}), which
 *             {@link #stem()} returns; always null for a backbone without a stem
 * @param settings the method's settings record ({@link Method#defaultSettings()}'s type)
 * @param views the global views (one recipe each, as many as the method's defaults) and the local ones;
 *              {@link ViewPlan#NONE} for a method that trains on the image itself
 */
public record MethodConfig(Method method, BackboneType backbone, int width, Stem stem, Record settings,
                           ViewPlan views) {

    public MethodConfig {
        int expected = method.defaultViews().size();
        if (views.globalCount() != expected) {
            throw new SelfsupException(method.id() + " trains on " + expected + " global views of each image, got "
                    + views.globalCount() + " view recipes");
        }
        String problem = method.backboneProblem(backbone);
        if (problem != null) {
            throw new SelfsupException(problem);
        }
        if (backbone.hasWidth() && (width < 0 || width > Limits.WIDTH)) {
            throw new SelfsupException("the " + backbone.id() + " width must be between 1 and " + Limits.WIDTH
                    + " (0: by device), got " + width);
        }
        if (!backbone.hasWidth() && width != 0) {
            throw new SelfsupException(backbone.id() + " has no width to choose, got " + width);
        }
        if (!backbone.hasStem() && stem != null) {
            throw new SelfsupException(backbone.id() + " has no stem to choose, got " + stem);
        }
        if (views.globalSize() > Limits.IMAGE_SIZE) {
            throw new SelfsupException("the image size must be at most " + Limits.IMAGE_SIZE + " pixels, got "
                    + views.globalSize());
        }
        String sizeProblem = backbone.imageSizeProblem(views.globalSize());
        if (sizeProblem != null) {
            throw new SelfsupException(sizeProblem);
        }
        if (settings.getClass() != method.defaultSettings().getClass()) {
            throw new IllegalArgumentException(method.id() + " takes " + method.defaultSettings().getClass()
                    .getSimpleName() + ", not " + settings.getClass().getSimpleName());
        }
    }

    /**
     * The method's defaults on {@code backbone}.
     *
     * @param width ResNet width, or 0 for the device's default ({@link #resolveWidth})
     */
    public static MethodConfig defaults(Method method, BackboneType backbone, int width) {
        return new MethodConfig(method, backbone, width, null, method.defaultSettings(),
                ViewPlan.of(method.defaultViews(), ViewPlan.CIFAR_SIZE));
    }

    /** The defaults of the registered method {@code id} on {@code backbone}. */
    public static MethodConfig defaults(String id, BackboneType backbone, int width) {
        return defaults(Methods.get(id), backbone, width);
    }

    /** The method's id, as config.json and the logs name it. */
    public String id() {
        return method.id();
    }

    /** The settings as the method's own record type. */
    public <S extends Record> S settings(Class<S> type) {
        return type.cast(settings);
    }

    /** The stem the ResNet is built with: the one asked for, or the one for the image size; null without a stem. */
    @Override
    public Stem stem() {
        return !backbone.hasStem() ? null : stem != null ? stem : Stem.forImageSize(imageSize());
    }

    /** Whether the stem was asked for rather than chosen by the image size. */
    public boolean stemChosen() {
        return stem != null;
    }

    /** Side of the square images the network trains on, in pixels: the global views' size. */
    public int imageSize() {
        return views.globalSize();
    }

    public MethodConfig withWidth(int value) {
        return new MethodConfig(method, backbone, value, stem, settings, views);
    }

    /** This config with the ResNet stem {@code value}, or null for the one that suits the image size. */
    public MethodConfig withStem(Stem value) {
        return new MethodConfig(method, backbone, width, value, settings, views);
    }

    /** This config for images of {@code size} pixels ({@link ViewPlan#withImageSize}). */
    public MethodConfig withImageSize(int size) {
        return withViews(views.withImageSize(size));
    }

    public MethodConfig withSettings(Record value) {
        return new MethodConfig(method, backbone, width, stem, value, views);
    }

    public MethodConfig withViews(ViewPlan value) {
        return new MethodConfig(method, backbone, width, stem, settings, value);
    }

    /** A freshly built backbone of this config's architecture. */
    public Block createBackbone() {
        return backbone.create(width, stem());
    }

    /** Channels, height and width of the backbone's feature map for this config's images. */
    public Shape featureMap() {
        return backbone.featureMap(width, stem(), imageSize());
    }
    /**
     * Global views per image: the network's input and a loss's per-view embeddings hold these first, then the
     * local views.
     */
    public int globalViews() {
        return views.globalCount();
    }

    /** This config with the settings its method trains with on such data ({@link Method#fitToData}). */
    public MethodConfig fitToData(int trainImages, int batchSize) {
        return withSettings(method.fitToData(settings, trainImages, batchSize));
    }

    /** This config with a width of 0 replaced by the backbone's default on the device. */
    public MethodConfig resolveWidth(boolean gpu) {
        return !backbone.hasWidth() || width != 0 ? this : withWidth(backbone.defaultWidth(gpu));
    }

    /**
     * config.json's "method": name, backbone, width, stem, image size, the method's settings under their keys, the
     * global views' recipes, the local views.
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", method.id());
        m.put("backbone", backbone.id());
        m.put("width", width);
        if (backbone.hasStem()) {
            m.put("stem", stem().id());
        }
        m.put("image_size", imageSize());
        m.putAll(MethodSettings.toMap(settings));
        m.put("views", views.global().stream().map(r -> r.toMap(imageSize())).toList());
        m.putAll(views.localMap());
        return m;
    }

    /**
     * The config a run recorded. A run written before methods existed is the autoencoder; one written before
     * the view recipes were recorded used its method's defaults, one written before local views existed has none,
     * and one written before image sizes and stems were recorded trained on 32-pixel images with the CIFAR stem.
     */
    @SuppressWarnings("unchecked")
    public static MethodConfig fromMap(Map<String, Object> m) {
        if (m == null) {
            return defaults("autoencoder", BackboneType.CONV2, 0);
        }
        try {
            Method method = Methods.get(String.valueOf(m.get("name")));
            BackboneType backbone = BackboneType.valueOf(String.valueOf(m.get("backbone")).toUpperCase(Locale.ROOT));
            int size = m.get("image_size") == null ? ViewPlan.CIFAR_SIZE : ((Number) m.get("image_size")).intValue();
            List<AugmentationRecipe> global = m.get("views") == null ? method.defaultViews()
                    : ((List<Map<String, Object>>) m.get("views")).stream()
                            .map(v -> AugmentationRecipe.fromMap(v, size)).toList();
            ViewPlan views = ViewPlan.fromMap(global, m, size);
            if (!(m.get("width") instanceof Number width)) {
                throw new IllegalArgumentException("'width' is missing or not a number");
            }
            Stem stem = !backbone.hasStem() ? null : m.get("stem") == null ? Stem.CIFAR
                    : Stem.valueOf(String.valueOf(m.get("stem")).toUpperCase(Locale.ROOT));
            // the stem its image size gives reads back as left to the size: the config that was written
            stem = stem == Stem.forImageSize(size) ? null : stem;
            return new MethodConfig(method, backbone, width.intValue(), stem,
                    MethodSettings.fromMap(method.defaultSettings(), m, method.id()), views);
        } catch (IllegalArgumentException | NullPointerException | ClassCastException | SelfsupException e) {
            throw new SelfsupException("config.json's \"method\" section is not one ssl-train writes (" + e.getMessage()
                    + ")", e);
        }
    }

    /** Builds the method's networks, views and loss. */
    public PretextMethod create() {
        if (backbone.hasWidth() && width == 0) {
            throw new IllegalStateException("the " + backbone.id() + " width must be resolved before the network "
                    + "is built");
        }
        return method.create(this);
    }
}
