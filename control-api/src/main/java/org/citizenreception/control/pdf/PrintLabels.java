package org.citizenreception.control.pdf;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.Set;

/**
 * The words of one printed document in one language, from {@code <folder>/labels-<code>.properties}
 * (UTF-8). A missing label is a build defect, not a user's error: it fails loudly.
 */
public final class PrintLabels {
    private final String resource;
    private final Properties labels;

    private PrintLabels(String resource, Properties labels) {
        this.resource = resource;
        this.labels = labels;
    }

    /** Loads {@code <folder>/labels-<code>.properties} from the class path. */
    public static PrintLabels load(String folder, String code) {
        String resource = folder + "/labels-" + code + ".properties";
        try (InputStream in = PrintLabels.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the build");
            }
            Properties p = new Properties();
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            return new PrintLabels(resource, p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The label {@code key} with {@code {0}}, {@code {1}}, … replaced by {@code args}. */
    public String label(String key, Object... args) {
        String text = labels.getProperty(key);
        if (text == null) {
            throw new IllegalStateException("label " + key + " is missing in " + resource);
        }
        for (int i = 0; i < args.length; i++) {
            text = text.replace("{" + i + "}", String.valueOf(args[i]));
        }
        return text;
    }

    /** A label for an enum value, or {@code fallback} (the value itself) for one added later. */
    public String labelOr(String key, String fallback) {
        return labels.getProperty(key, fallback);
    }

    public Set<String> keys() {
        return labels.stringPropertyNames();
    }
}
