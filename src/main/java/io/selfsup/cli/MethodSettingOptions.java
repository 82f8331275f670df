package io.selfsup.cli;

import io.selfsup.method.Method;
import io.selfsup.method.MethodSettings;
import io.selfsup.method.Methods;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgGroupSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * ssl-train's options for the registered methods' own settings (--temperature, --tau-base, ...), made from their
 * settings records rather than declared here, so a new method's settings are options with no edit to the CLI.
 * A setting two methods share (--projector-hidden) is one option; its help lists each method's default.
 */
final class MethodSettingOptions {

    private MethodSettingOptions() {}

    /** Adds one option per setting name to ssl-train's command, in a help section of their own. */
    static void addTo(CommandSpec train) {
        Map<String, List<Method>> owners = new LinkedHashMap<>();
        Map<String, MethodSettings.Info> infos = new LinkedHashMap<>();
        for (Method method : Methods.all()) {
            for (MethodSettings.Info info : MethodSettings.of(method.defaultSettings().getClass())) {
                MethodSettings.Info first = infos.putIfAbsent(info.option(), info);
                if (first != null && first.type() != info.type()) {
                    throw new IllegalStateException(info.option() + " is a " + first.type().getSimpleName()
                            + " in one method and a " + info.type().getSimpleName() + " in " + method.id());
                }
                owners.computeIfAbsent(info.option(), o -> new ArrayList<>()).add(method);
            }
        }
        if (infos.isEmpty()) {
            return;
        }
        ArgGroupSpec.Builder group = ArgGroupSpec.builder().exclusive(false).multiplicity("0..1")
                .heading("%nMethod settings (each applies to the methods named; default: the method's)%n");
        for (MethodSettings.Info info : infos.values()) {
            List<String> defaults = new ArrayList<>();
            for (Method m : owners.get(info.option())) {
                defaults.add(m.id() + " " + MethodSettings.get(m.defaultSettings(), info.name()));
            }
            group.addArg(OptionSpec.builder(info.option()).type(info.type()).paramLabel("N")
                    .description(info.description() + " (" + String.join(", ", defaults) + ").").build());
        }
        train.addArgGroup(group.build());
    }

    /**
     * The settings given on the command line for {@code method}, by setting name; one given that the method does
     * not have is a usage error naming the methods that have it.
     */
    static Map<String, Object> given(CommandLine train, Method method) {
        ParseResult parsed = train.getParseResult();
        Map<String, Object> values = new LinkedHashMap<>();
        for (Method m : Methods.all()) {
            for (MethodSettings.Info info : MethodSettings.of(m.defaultSettings().getClass())) {
                if (!parsed.hasMatchedOption(info.option())) {
                    continue;
                }
                if (MethodSettings.get(method.defaultSettings(), info.name()) == null) {
                    throw new ParameterException(train, info.option() + " is a setting of "
                            + owners(info.name()) + ", not of --method " + method.id());
                }
                values.put(info.name(), parsed.matchedOptionValue(info.option(), null));
            }
        }
        return values;
    }

    private static String owners(String setting) {
        return String.join(", ", Methods.all().stream()
                .filter(m -> MethodSettings.get(m.defaultSettings(), setting) != null).map(Method::id).toList());
    }
}
