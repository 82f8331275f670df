package io.selfsup.method;

import io.selfsup.SelfsupException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The registry of methods: every {@link Method} named in a {@code META-INF/services/io.selfsup.method.Method}
 * file on the class path, selfsup's own first. A method from another jar (or from the test sources) registers
 * itself the same way, with no change to selfsup.
 */
public final class Methods {

    private static final Map<String, Method> ALL = load();

    private Methods() {}

    /** Every registered method, in registration order. */
    public static List<Method> all() {
        return List.copyOf(ALL.values());
    }

    /** The method with this id (case-insensitive); a one-line error listing the ids otherwise. */
    public static Method get(String id) {
        Method method = id == null ? null : ALL.get(id.toLowerCase(java.util.Locale.ROOT));
        if (method == null) {
            throw new SelfsupException("'" + id + "' is not a method; use one of " + ids());
        }
        return method;
    }

    /** The ids, comma-separated, for messages and help. */
    public static String ids() {
        return String.join(", ", ALL.keySet());
    }

    private static Map<String, Method> load() {
        List<Method> found = new ArrayList<>();
        ServiceLoader.load(Method.class, Methods.class.getClassLoader()).forEach(found::add);
        // selfsup's own methods first, whichever order the class path lists the service files in
        found.sort((a, b) -> Boolean.compare(!isOwn(a), !isOwn(b)));
        Map<String, Method> byId = new LinkedHashMap<>();
        for (Method m : found) {
            Method clash = byId.putIfAbsent(m.id(), m);
            if (clash != null) {
                throw new IllegalStateException("two methods have the id '" + m.id() + "': "
                        + clash.getClass().getName() + " and " + m.getClass().getName());
            }
        }
        if (byId.isEmpty()) {
            throw new IllegalStateException("no method is registered: META-INF/services/" + Method.class.getName()
                    + " is missing from the class path");
        }
        return byId;
    }

    /** Loaded from the jar (or classes folder) selfsup itself comes from. */
    private static boolean isOwn(Method m) {
        return java.util.Objects.equals(m.getClass().getProtectionDomain().getCodeSource(),
                Methods.class.getProtectionDomain().getCodeSource());
    }
}
