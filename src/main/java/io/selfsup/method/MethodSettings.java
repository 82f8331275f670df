package io.selfsup.method;

import io.selfsup.SelfsupException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A method's own settings are one record whose components are annotated {@link Setting} and whose compact
 * constructor validates them (solo-learn's method_kwargs with add_and_assert_specific_cfg). This class reads such
 * a record generically, so that the command line, config.json and --resume handle every method's settings
 * without knowing them: a method adds a setting by adding a record component.
 */
public final class MethodSettings {

    private MethodSettings() {}

    /** One setting: its name in Java, on the command line and in config.json, its type and its help text. */
    public record Info(String name, String option, String key, Class<?> type, String description) {}

    /** The settings of a record type, in declaration order. */
    public static List<Info> of(Class<? extends Record> type) {
        List<Info> infos = new ArrayList<>();
        for (RecordComponent c : type.getRecordComponents()) {
            Setting setting = c.getAnnotation(Setting.class);
            if (setting == null) {
                throw new IllegalStateException(type.getName() + "." + c.getName() + " has no @Setting");
            }
            infos.add(new Info(c.getName(), "--" + words(c.getName(), '-'), words(c.getName(), '_'),
                    boxed(c.getType()), setting.value()));
        }
        return infos;
    }

    /** The value of setting {@code name} in {@code settings}, or null when the record has no such setting. */
    public static Object get(Record settings, String name) {
        for (RecordComponent c : settings.getClass().getRecordComponents()) {
            if (c.getName().equals(name)) {
                try {
                    return c.getAccessor().invoke(settings);
                } catch (IllegalAccessException | InvocationTargetException e) {
                    throw new IllegalStateException("cannot read " + name + " of " + settings, e);
                }
            }
        }
        return null;
    }

    /**
     * {@code settings} with the values in {@code changes} (by setting name) replaced, validated by the record's
     * constructor; an invalid value is a one-line error naming the method.
     */
    public static <S extends Record> S with(S settings, Map<String, Object> changes, String method) {
        RecordComponent[] components = settings.getClass().getRecordComponents();
        Object[] values = new Object[components.length];
        List<String> unknown = new ArrayList<>(changes.keySet());
        for (int i = 0; i < components.length; i++) {
            String name = components[i].getName();
            values[i] = changes.containsKey(name) ? changes.get(name) : get(settings, name);
            unknown.remove(name);
        }
        if (!unknown.isEmpty()) {
            throw new SelfsupException(method + " has no setting " + String.join(", ", unknown) + " (its settings: "
                    + (components.length == 0 ? "none" : String.join(", ", of(type(settings)).stream()
                    .map(Info::name).toList())) + ")");
        }
        return construct(type(settings), values, method);
    }

    /** config.json's form: each setting under its key. */
    public static Map<String, Object> toMap(Record settings) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Info info : of(type(settings))) {
            m.put(info.key(), get(settings, info.name()));
        }
        return m;
    }

    /** The settings recorded under their keys in {@code m}; every one must be there, as ssl-train writes them. */
    public static <S extends Record> S fromMap(S defaults, Map<String, Object> m, String method) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Info info : of(type(defaults))) {
            if (!(m.get(info.key()) instanceof Number n)) {
                throw new SelfsupException("config.json's " + method + " setting '" + info.key()
                        + "' is missing or not a number");
            }
            values.put(info.name(), convert(n, info.type()));
        }
        return with(defaults, values, method);
    }

    private static Object convert(Number n, Class<?> type) {
        if (type == Integer.class) {
            return n.intValue();
        }
        if (type == Long.class) {
            return n.longValue();
        }
        if (type == Float.class) {
            return n.floatValue();
        }
        if (type == Double.class) {
            return n.doubleValue();
        }
        throw new IllegalStateException("settings are numbers; " + type + " is not supported");
    }

    @SuppressWarnings("unchecked")
    private static <S extends Record> Class<S> type(S settings) {
        return (Class<S>) settings.getClass();
    }

    private static <S extends Record> S construct(Class<S> type, Object[] values, String method) {
        Class<?>[] types = Arrays.stream(type.getRecordComponents()).map(RecordComponent::getType)
                .toArray(Class<?>[]::new);
        try {
            Constructor<S> constructor = type.getDeclaredConstructor(types);
            constructor.setAccessible(true);
            return constructor.newInstance(values);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IllegalArgumentException || cause instanceof SelfsupException) {
                throw new SelfsupException(method + ": " + cause.getMessage(), cause);
            }
            throw new IllegalStateException("cannot build " + type.getName(), cause);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build " + type.getName(), e);
        }
    }

    private static Class<?> boxed(Class<?> type) {
        if (type == int.class) {
            return Integer.class;
        }
        if (type == long.class) {
            return Long.class;
        }
        if (type == float.class) {
            return Float.class;
        }
        if (type == double.class) {
            return Double.class;
        }
        return type;
    }

    /** tauBase -> tau-base (separator '-') or tau_base ('_'). */
    private static String words(String camel, char separator) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1" + separator + "$2").toLowerCase(Locale.ROOT);
    }
}
