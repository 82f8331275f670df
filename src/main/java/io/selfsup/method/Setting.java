package io.selfsup.method;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a component of a method's settings record as a setting users may change. Its name gives the command-line
 * option (tauBase: --tau-base) and the config.json key (tau_base); see {@link MethodSettings}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Setting {

    /** What the setting is, for --help; the method's default is appended there. */
    String value();
}
