package io.selfsup;

import java.util.Objects;

/** selfsup's version, from the jar's manifest (pom.xml's version), or "dev" when run from classes. */
public final class SelfsupVersion {

    public static final String VALUE = Objects.requireNonNullElse(
            SelfsupVersion.class.getPackage().getImplementationVersion(), "dev");

    private SelfsupVersion() {}
}
