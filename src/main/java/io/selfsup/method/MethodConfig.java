package io.selfsup.method;

import io.selfsup.SelfsupException;
import io.selfsup.nn.BackboneType;
import io.selfsup.data.augment.AugmentationRecipe;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a method builds and the settings of its objective; written to config.json as "method", from which
 * ssl-encode, ssl-eval and --resume rebuild the same network.
 *
 * @param width channels of a ResNet's first stage (64: the standard network); 0 for conv2, which has none
 * @param projectorHidden hidden units of the projector MLP (0: the method has none)
 * @param projectorDim output size of the projector
 * @param predictorHidden hidden units of BYOL's predictor (0: none)
 * @param temperature SimCLR's NT-Xent temperature
 * @param tauBase BYOL's EMA rate at the first step, rising to 1 on a cosine
 * @param views how each view is augmented, one recipe per view; empty for the autoencoder (the image itself)
 */
public record MethodConfig(MethodType method, BackboneType backbone, int width, int projectorHidden,
                           int projectorDim, int predictorHidden, float temperature, float tauBase,
                           List<AugmentationRecipe> views) {

    /** ResNet width when none is asked for: the standard network on a GPU, a quarter of it on a CPU. */
    public static final int GPU_WIDTH = 64;
    public static final int CPU_WIDTH = 16;

    public MethodConfig {
        views = List.copyOf(views);
        if (method != MethodType.AUTOENCODER && views.size() != 2) {
            throw new SelfsupException(method.id() + " needs two views, got " + views.size());
        }
        if (method == MethodType.AUTOENCODER && backbone != BackboneType.CONV2) {
            throw new SelfsupException("--method autoencoder has the article's decoder, which fits --backbone conv2 "
                    + "only; use --method simclr or byol with " + backbone.id());
        }
        if (backbone.hasWidth() && (width < 0 || width > 1024)) {
            throw new SelfsupException("--width must be between 1 and 1024 (0: by device), got " + width);
        }
        if (!backbone.hasWidth() && width != 0) {
            throw new SelfsupException("--width applies to resnet18 only; conv2 is the article's fixed encoder");
        }
        if (method != MethodType.AUTOENCODER && (projectorHidden < 1 || projectorDim < 1)) {
            throw new SelfsupException("--projector-hidden and --projector-dim must be at least 1");
        }
        if (method == MethodType.BYOL && predictorHidden < 1) {
            throw new SelfsupException("--predictor-hidden must be at least 1");
        }
        if (!(temperature > 0) || Float.isInfinite(temperature)) {
            throw new SelfsupException("--temperature must be a positive number, got " + temperature);
        }
        if (!(tauBase >= 0 && tauBase < 1)) {
            throw new SelfsupException("--tau-base must be in [0, 1), got " + tauBase);
        }
    }

    /**
     * The method's defaults. SimCLR: projector 512 -> 128 and temperature 0.5 (lightly's CIFAR-10 benchmark and
     * ../shared/peer/simclr_cifar.py). BYOL: projector and predictor 1024 -> 256 hidden/out (lightly's
     * BYOLProjectionHead/BYOLPredictionHead), tau 0.99 rising to 1 (BYOL paper, solo-learn).
     *
     * @param width ResNet width, or 0 for the device's default (see {@link #defaultWidth})
     */
    public static MethodConfig defaults(MethodType method, BackboneType backbone, int width) {
        return switch (method) {
            case AUTOENCODER -> new MethodConfig(method, backbone, width, 0, 0, 0, 0.5f, 0.99f, List.of());
            case SIMCLR -> new MethodConfig(method, backbone, width, 512, 128, 0, 0.5f, 0.99f,
                    List.of(AugmentationRecipe.simclr(), AugmentationRecipe.simclr()));
            case BYOL -> new MethodConfig(method, backbone, width, 1024, 256, 1024, 0.5f, 0.99f,
                    List.of(AugmentationRecipe.byolFirst(), AugmentationRecipe.byolSecond()));
        };
    }

    /** The backbone a method trains when --backbone is not given. */
    public static BackboneType defaultBackbone(MethodType method) {
        return method == MethodType.AUTOENCODER ? BackboneType.CONV2 : BackboneType.RESNET18;
    }

    /** The width used when --width is not given: the standard 64 on a GPU, 16 on a CPU (see README). */
    public static int defaultWidth(BackboneType backbone, boolean gpu) {
        return backbone.hasWidth() ? (gpu ? GPU_WIDTH : CPU_WIDTH) : 0;
    }

    /** This config with a ResNet width of 0 replaced by the device's default. */
    public MethodConfig resolveWidth(boolean gpu) {
        if (!backbone.hasWidth() || width != 0) {
            return this;
        }
        return new MethodConfig(method, backbone, defaultWidth(backbone, gpu), projectorHidden, projectorDim,
                predictorHidden, temperature, tauBase, views);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", method.id());
        m.put("backbone", backbone.id());
        m.put("width", width);
        m.put("projector_hidden", projectorHidden);
        m.put("projector_dim", projectorDim);
        m.put("predictor_hidden", predictorHidden);
        m.put("temperature", temperature);
        m.put("tau_base", tauBase);
        m.put("views", views.stream().map(AugmentationRecipe::toMap).toList());
        return m;
    }

    /** The config a run recorded; a run written before methods existed is the autoencoder. */
    @SuppressWarnings("unchecked")
    public static MethodConfig fromMap(Map<String, Object> m) {
        if (m == null) {
            return defaults(MethodType.AUTOENCODER, BackboneType.CONV2, 0);
        }
        try {
            MethodType method = MethodType.valueOf(upper(m.get("name")));
            BackboneType backbone = BackboneType.valueOf(upper(m.get("backbone")));
            // runs written before the recipes were recorded used the method's defaults
            List<AugmentationRecipe> views = m.get("views") == null ? defaults(method, backbone, 0).views()
                    : ((List<Map<String, Object>>) m.get("views")).stream().map(AugmentationRecipe::fromMap).toList();
            return new MethodConfig(method, backbone,
                    number(m, "width").intValue(), number(m, "projector_hidden").intValue(),
                    number(m, "projector_dim").intValue(), number(m, "predictor_hidden").intValue(),
                    number(m, "temperature").floatValue(), number(m, "tau_base").floatValue(), views);
        } catch (IllegalArgumentException | NullPointerException | ClassCastException e) {
            throw new SelfsupException("config.json's \"method\" section is not one ssl-train writes (" + e.getMessage()
                    + ")", e);
        }
    }

    private static String upper(Object value) {
        return value.toString().toUpperCase(Locale.ROOT);
    }

    private static Number number(Map<String, Object> m, String key) {
        if (!(m.get(key) instanceof Number n)) {
            throw new IllegalArgumentException("'" + key + "' is missing or not a number");
        }
        return n;
    }

    /** Builds the method: its networks, views and loss. */
    public PretextMethod create() {
        if (backbone.hasWidth() && width == 0) {
            throw new IllegalStateException("the ResNet width must be resolved before the network is built");
        }
        return switch (method) {
            case AUTOENCODER -> new AutoencoderMethod();
            case SIMCLR -> new SimClr(this);
            case BYOL -> new Byol(this);
        };
    }
}
