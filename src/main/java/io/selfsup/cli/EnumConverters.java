package io.selfsup.cli;

import io.selfsup.method.MethodType;
import io.selfsup.nn.BackboneType;
import io.selfsup.train.OptimizerConfig;
import io.selfsup.encode.EncodeConfig;
import io.selfsup.encode.Pooling;
import io.selfsup.engine.DeviceMode;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Case-insensitive enum options whose error names the valid values. */
final class EnumConverters {

    private EnumConverters() {}

    private abstract static class Lowercase<E extends Enum<E>> implements ITypeConverter<E> {
        private final Class<E> type;
        private final String what;

        Lowercase(Class<E> type, String what) {
            this.type = type;
            this.what = what;
        }

        @Override
        public E convert(String value) {
            try {
                return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                String choices = Arrays.stream(type.getEnumConstants()).map(c -> c.name().toLowerCase(Locale.ROOT))
                        .collect(Collectors.joining(", "));
                throw new TypeConversionException("'" + value + "' is not a " + what + "; use one of " + choices);
            }
        }
    }

    static final class DeviceModeConverter extends Lowercase<DeviceMode> {
        DeviceModeConverter() {
            super(DeviceMode.class, "device");
        }
    }

    static final class PoolingConverter extends Lowercase<Pooling> {
        PoolingConverter() {
            super(Pooling.class, "pooling");
        }
    }

    static final class EncodeSplitConverter extends Lowercase<EncodeConfig.EncodeSplit> {
        EncodeSplitConverter() {
            super(EncodeConfig.EncodeSplit.class, "split");
        }
    }

    static final class MethodConverter extends Lowercase<MethodType> {
        MethodConverter() {
            super(MethodType.class, "method");
        }
    }

    static final class BackboneConverter extends Lowercase<BackboneType> {
        BackboneConverter() {
            super(BackboneType.class, "backbone");
        }
    }

    static final class OptimizerConverter extends Lowercase<OptimizerConfig.Type> {
        OptimizerConverter() {
            super(OptimizerConfig.Type.class, "optimizer");
        }
    }
}
