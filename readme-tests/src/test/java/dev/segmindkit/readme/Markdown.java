package dev.segmindkit.readme;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The few pieces of Markdown and shell syntax the README harness reads: fenced blocks, code spans, words. */
final class Markdown {
    private Markdown() {
    }

    /** One fenced block: its info string ({@code sh}, {@code java}, or empty), its body, its first line's number and the offset just after its closing fence. */
    record Block(String language, String body, int line, int end) {
    }

    /** One inline code span and the line it is on. */
    record Span(String text, int line) {
    }

    private static final Pattern FENCE = Pattern.compile("(?ms)^```([\\w-]*)[ \\t]*\\n(.*?)^```");
    private static final Pattern SPAN = Pattern.compile("`([^`\\n]+)`");

    static List<Block> blocks(String text) {
        List<Block> blocks = new ArrayList<>();
        Matcher m = FENCE.matcher(text);
        while (m.find()) {
            blocks.add(new Block(m.group(1), m.group(2), lineOf(text, m.start()), m.end()));
        }
        return blocks;
    }

    /** The inline code spans of the text outside its fenced blocks. */
    static List<Span> spans(String text) {
        StringBuilder prose = new StringBuilder(text);
        Matcher f = FENCE.matcher(text);
        while (f.find()) {
            for (int i = f.start(); i < f.end(); i++) {
                if (prose.charAt(i) != '\n') {
                    prose.setCharAt(i, ' ');
                }
            }
        }
        List<Span> spans = new ArrayList<>();
        Matcher m = SPAN.matcher(prose);
        while (m.find()) {
            spans.add(new Span(m.group(1), lineOf(text, m.start())));
        }
        return spans;
    }

    static int lineOf(String text, int offset) {
        return (int) text.substring(0, offset).chars().filter(c -> c == '\n').count() + 1;
    }

    /** {@code a && b && c} as its commands, quotes respected. */
    static List<String> andList(String commandLine) {
        List<String> parts = new ArrayList<>();
        StringBuilder part = new StringBuilder();
        char quote = 0;
        for (int i = 0; i < commandLine.length(); i++) {
            char c = commandLine.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '&' && i + 1 < commandLine.length() && commandLine.charAt(i + 1) == '&') {
                parts.add(part.toString().trim());
                part.setLength(0);
                i++;
                continue;
            }
            part.append(c);
        }
        parts.add(part.toString().trim());
        return parts;
    }

    /** A shell command's words as sh would split them: single and double quotes, backslashes; no expansions. */
    static List<String> words(String command) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < command.length(); i++) {
            char c = command.charAt(i);
            if (quote == '\'') {
                if (c == '\'') {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (quote == '"') {
                if (c == '"') {
                    quote = 0;
                } else if (c == '\\' && i + 1 < command.length() && "\"\\$`".indexOf(command.charAt(i + 1)) >= 0) {
                    word.append(command.charAt(++i));
                } else {
                    word.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (c == '\\' && i + 1 < command.length()) {
                word.append(command.charAt(++i));
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (quote != 0) {
            throw new IllegalArgumentException("unclosed quote in: " + command);
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }
}
