package io.selfsup.cli;

import io.selfsup.train.DeviceMode;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parses --device case-insensitively, naming the valid values when it cannot. */
final class DeviceModeConverter implements ITypeConverter<DeviceMode> {
    @Override
    public DeviceMode convert(String value) {
        try {
            return DeviceMode.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException("'" + value + "' is not a device; use auto, cpu or gpu");
        }
    }
}
