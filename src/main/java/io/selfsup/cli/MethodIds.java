package io.selfsup.cli;

import io.selfsup.method.Method;
import io.selfsup.method.Methods;
import java.util.Iterator;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** --method's values: the registered methods' ids, for help (completion candidates) and conversion. */
final class MethodIds implements Iterable<String>, ITypeConverter<Method> {

    @Override
    public Iterator<String> iterator() {
        return Methods.all().stream().map(Method::id).iterator();
    }

    @Override
    public Method convert(String value) {
        try {
            return Methods.get(value);
        } catch (RuntimeException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
