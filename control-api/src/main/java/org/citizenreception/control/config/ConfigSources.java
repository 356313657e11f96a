package org.citizenreception.control.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Layers the configuration: command line beats environment beats the operator's file beats the
 * built-in defaults. Only keys that exist in the defaults are accepted anywhere, so a typo is an
 * error at start instead of a silently ignored setting.
 */
public final class ConfigSources {
    public static final String ENV_PREFIX = "RECEPTION_";
    static final String DEFAULTS_RESOURCE = "reception-defaults.conf";
    static final Path DEFAULT_FILE = Path.of("config", "reception.conf");

    private ConfigSources() {
    }

    /**
     * @param args command-line arguments, each {@code --key=value}; {@code --config=FILE} names the
     *             operator's file (default {@code config/reception.conf} when it exists)
     * @param env  the process environment
     */
    public static Config load(String[] args, Map<String, String> env) {
        Config defaults = ConfigFactory.parseResources(ConfigSources.class.getClassLoader(), DEFAULTS_RESOURCE,
                ConfigParseOptions.defaults().setAllowMissing(false));
        Map<String, String> cli = parseArgs(args);

        Path file = cli.containsKey("config") ? Path.of(cli.remove("config")) : DEFAULT_FILE;
        Config fromFile = ConfigFactory.empty();
        if (Files.isRegularFile(file)) {
            try {
                fromFile = ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
            } catch (ConfigException e) {
                throw new ConfigProblem("configuration file " + file + " cannot be read: " + e.getMessage());
            }
            rejectUnknownKeys(fromFile, defaults, "in " + file);
        } else if (args.length > 0 && Arrays.stream(args).anyMatch(a -> a.startsWith("--config="))) {
            throw new ConfigProblem("configuration file " + file + " does not exist");
        }

        Config fromEnv = ConfigFactory.parseMap(overridesFromEnv(env, defaults), "environment");
        Config fromCli = ConfigFactory.parseMap(typed(cli, defaults, "on the command line"), "command line");
        return fromCli.withFallback(fromEnv).withFallback(fromFile).withFallback(defaults).resolve();
    }

    static Map<String, String> parseArgs(String[] args) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (!arg.startsWith("--") || eq < 3) {
                throw new ConfigProblem("argument '" + arg + "' is not of the form --key=value (e.g. --http.port=8081)");
            }
            values.put(arg.substring(2, eq), arg.substring(eq + 1));
        }
        return values;
    }

    /** The environment variable that sets {@code key}: {@code media.advertised-addresses} → {@code RECEPTION_MEDIA_ADVERTISED_ADDRESSES}. */
    public static String envName(String key) {
        return ENV_PREFIX + key.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private static Map<String, Object> overridesFromEnv(Map<String, String> env, Config defaults) {
        Map<String, String> raw = new LinkedHashMap<>();
        for (var entry : defaults.entrySet()) {
            String value = env.get(envName(entry.getKey()));
            if (value != null) {
                raw.put(entry.getKey(), value);
            }
        }
        return typed(raw, defaults, "in the environment");
    }

    /** Strings from the environment or command line become lists where the default is a list (comma-separated). */
    private static Map<String, Object> typed(Map<String, String> raw, Config defaults, String where) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (var entry : raw.entrySet()) {
            String key = entry.getKey();
            if (!defaults.hasPathOrNull(key) || defaults.getValue(key).valueType() == ConfigValueType.OBJECT) {
                throw new ConfigProblem("unknown configuration key '" + key + "' " + where
                        + "; known keys: " + String.join(", ", knownKeys(defaults)));
            }
            if (defaults.getValue(key).valueType() == ConfigValueType.LIST) {
                List<String> items = Arrays.stream(entry.getValue().split(","))
                        .map(String::trim).filter(s -> !s.isEmpty()).toList();
                values.put(key, ConfigValueFactory.fromIterable(items));
            } else {
                values.put(key, entry.getValue());
            }
        }
        return values;
    }

    private static void rejectUnknownKeys(Config given, Config defaults, String where) {
        for (var entry : given.entrySet()) {
            if (!defaults.hasPathOrNull(entry.getKey())) {
                throw new ConfigProblem("unknown configuration key '" + entry.getKey() + "' " + where
                        + "; known keys: " + String.join(", ", knownKeys(defaults)));
            }
        }
    }

    static TreeSet<String> knownKeys(Config defaults) {
        TreeSet<String> keys = new TreeSet<>();
        defaults.entrySet().forEach(e -> keys.add(e.getKey()));
        return keys;
    }
}
