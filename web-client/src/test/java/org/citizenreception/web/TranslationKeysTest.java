package org.citizenreception.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every visible string of the web client goes through i18n/vi.json and i18n/en.json. These tests
 * read the page sources and fail when a key used there is missing in either language, when the two
 * files drift apart, or when a key is built at run time where no test can see it.
 */
class TranslationKeysTest {
    private static final Path WEB = Path.of("src/main/resources/web");
    /** A quoted literal that looks like a key: namespace, a dot, the rest. */
    private static final Pattern KEY_LITERAL = Pattern.compile("(['\"])([a-z][A-Za-z]*)\\.([A-Za-z0-9_.]+)\\1");
    private static final Pattern TEMPLATE_KEY = Pattern.compile("`([a-z][A-Za-z]*)\\.\\$\\{");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(\\w+)}");

    private static Map<String, String> vi;
    private static Map<String, String> en;
    private static Map<Path, String> sources;

    @BeforeAll
    static void load() throws IOException {
        ObjectMapper json = new ObjectMapper();
        TypeReference<Map<String, String>> type = new TypeReference<>() { };
        vi = json.readValue(WEB.resolve("i18n/vi.json").toFile(), type);
        en = json.readValue(WEB.resolve("i18n/en.json").toFile(), type);
        try (Stream<Path> files = Files.walk(WEB)) {
            sources = new TreeMap<>();
            for (Path p : files.filter(f -> f.toString().endsWith(".js") || f.toString().endsWith(".html")).toList()) {
                sources.put(p, Files.readString(p));
            }
        }
    }

    @Test
    void both_languages_have_the_same_keys() {
        assertThat(difference(vi.keySet(), en.keySet())).as("keys in vi.json missing from en.json").isEmpty();
        assertThat(difference(en.keySet(), vi.keySet())).as("keys in en.json missing from vi.json").isEmpty();
    }

    @Test
    void no_translation_is_blank() {
        assertThat(vi.entrySet().stream().filter(e -> e.getValue().isBlank()).map(Map.Entry::getKey)).as("blank in vi.json").isEmpty();
        assertThat(en.entrySet().stream().filter(e -> e.getValue().isBlank()).map(Map.Entry::getKey)).as("blank in en.json").isEmpty();
    }

    @Test
    void every_key_used_by_the_pages_exists_in_both_languages() {
        assertThat(sources).as("web sources found").isNotEmpty();
        Set<String> namespaces = vi.keySet().stream().map(k -> k.substring(0, k.indexOf('.'))).collect(Collectors.toSet());
        Set<String> missing = new TreeSet<>();
        int used = 0;
        for (Map.Entry<Path, String> source : sources.entrySet()) {
            Matcher m = KEY_LITERAL.matcher(source.getValue());
            while (m.find()) {
                if (!namespaces.contains(m.group(2))) {
                    continue;
                }
                String key = m.group(2) + "." + m.group(3);
                used++;
                if (!vi.containsKey(key)) {
                    missing.add("vi.json lacks " + key + " (" + WEB.relativize(source.getKey()) + ")");
                }
                if (!en.containsKey(key)) {
                    missing.add("en.json lacks " + key + " (" + WEB.relativize(source.getKey()) + ")");
                }
            }
        }
        assertThat(used).as("keys found in the sources").isGreaterThan(100);
        assertThat(missing).isEmpty();
    }

    @Test
    void no_key_is_assembled_at_run_time() {
        Set<String> namespaces = vi.keySet().stream().map(k -> k.substring(0, k.indexOf('.'))).collect(Collectors.toSet());
        Set<String> dynamic = new TreeSet<>();
        sources.forEach((path, text) -> {
            Matcher m = TEMPLATE_KEY.matcher(text);
            while (m.find()) {
                if (namespaces.contains(m.group(1))) {
                    dynamic.add(WEB.relativize(path) + ": `" + m.group(1) + ".${...}`");
                }
            }
        });
        assertThat(dynamic).as("keys built from templates cannot be checked; list them in a map instead").isEmpty();
    }

    @Test
    void both_languages_fill_the_same_placeholders() {
        Set<String> mismatched = new TreeSet<>();
        vi.forEach((key, text) -> {
            String other = en.get(key);
            if (other != null && !placeholders(text).equals(placeholders(other))) {
                mismatched.add(key);
            }
        });
        assertThat(mismatched).isEmpty();
    }

    private static Set<String> placeholders(String text) {
        Set<String> out = new TreeSet<>();
        Matcher m = PLACEHOLDER.matcher(text);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private static Set<String> difference(Set<String> a, Set<String> b) {
        Set<String> out = new TreeSet<>(a);
        out.removeAll(b);
        return out;
    }
}
