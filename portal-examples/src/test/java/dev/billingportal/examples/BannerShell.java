package dev.billingportal.examples;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the shell lines of the demo's banner the way bash would for the little they use: {@code export NAME='value'},
 * {@code export NAME=$(curl ... | sed -E 's/regex/\1/')}, {@code curl [-s] [-X method] [-H "header"] url}, with
 * {@code $NAME} expanded outside single quotes and an unset variable failing the test (bash would expand it to
 * nothing, which is the friction this guards against). No real shell or curl: the tests must not depend on them.
 */
final class BannerShell {
    private static final Pattern EXPORT_VALUE = Pattern.compile("export (\\w+)='([^']*)'(\\s+#.*)?");
    private static final Pattern EXPORT_COMMAND = Pattern.compile("export (\\w+)=\\$\\((curl .*) \\| sed -E 's/(.*)/\\\\1/'\\)");
    private static final Pattern VARIABLE = Pattern.compile("\\$(\\w+)");

    private BannerShell() {
    }

    /** Runs every command line of {@code banner}; returns the HTTP status of each curl, in order. */
    static List<Integer> run(String banner, HttpClient http) throws Exception {
        Map<String, String> variables = new HashMap<>();
        List<Integer> statuses = new ArrayList<>();
        for (String raw : banner.lines().toList()) {
            String line = raw.strip();
            Matcher value = EXPORT_VALUE.matcher(line);
            Matcher command = EXPORT_COMMAND.matcher(line);
            if (value.matches()) {
                variables.put(value.group(1), value.group(2));
            } else if (command.matches()) {
                HttpResponse<String> response = curl(command.group(2), variables, http);
                statuses.add(response.statusCode());
                Matcher sed = Pattern.compile(command.group(3)).matcher(response.body());
                assertThat(sed.matches()).as("sed's pattern matches the answer of: %s", line).isTrue();
                variables.put(command.group(1), sed.group(1));
            } else if (line.startsWith("curl ")) {
                statuses.add(curl(line, variables, http).statusCode());
            } else {
                assertThat(line).as("a banner line that is neither a command, a comment nor text")
                        .doesNotStartWith("export").doesNotContain("$(");
            }
        }
        return statuses;
    }

    private static HttpResponse<String> curl(String line, Map<String, String> variables, HttpClient http) throws Exception {
        List<String> words = words(line, variables);
        assertThat(words.get(0)).isEqualTo("curl");
        String method = "GET";
        HttpRequest.Builder request = HttpRequest.newBuilder();
        String url = null;
        for (int i = 1; i < words.size(); i++) {
            switch (words.get(i)) {
                case "-s" -> { }
                case "-X" -> method = words.get(++i);
                case "-H" -> {
                    String header = words.get(++i);
                    int colon = header.indexOf(':');
                    request.header(header.substring(0, colon).strip(), header.substring(colon + 1).strip());
                }
                default -> url = words.get(i);
            }
        }
        assertThat(url).as("the URL of: %s", line).isNotNull();
        request.uri(URI.create(url)).method(method, HttpRequest.BodyPublishers.noBody());
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** Splits like bash: single quotes literal, double quotes and bare words with {@code $NAME} expanded. */
    private static List<String> words(String line, Map<String, String> variables) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (Character.isWhitespace(c)) {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
                i++;
                continue;
            }
            if (word == null) {
                word = new StringBuilder();
            }
            if (c == '\'') {
                int end = line.indexOf('\'', i + 1);
                word.append(line, i + 1, end);
                i = end + 1;
            } else if (c == '"') {
                int end = line.indexOf('"', i + 1);
                word.append(expand(line.substring(i + 1, end), variables));
                i = end + 1;
            } else {
                int end = i;
                while (end < line.length() && !Character.isWhitespace(line.charAt(end)) && line.charAt(end) != '"'
                        && line.charAt(end) != '\'') {
                    end++;
                }
                word.append(expand(line.substring(i, end), variables));
                i = end;
            }
        }
        if (word != null) {
            words.add(word.toString());
        }
        return words;
    }

    private static String expand(String text, Map<String, String> variables) {
        Matcher m = VARIABLE.matcher(text);
        StringBuilder expanded = new StringBuilder();
        while (m.find()) {
            assertThat(variables).as("$%s is set by an earlier line of the banner", m.group(1)).containsKey(m.group(1));
            m.appendReplacement(expanded, Matcher.quoteReplacement(variables.get(m.group(1))));
        }
        m.appendTail(expanded);
        return expanded.toString();
    }
}
