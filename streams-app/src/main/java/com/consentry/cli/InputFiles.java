package com.consentry.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Opens a command's {@code --input}: a file, or standard input for {@code -}. */
final class InputFiles {
    private InputFiles() {
    }

    /** The reader, or null after telling the user on standard error why the input cannot be read. */
    static BufferedReader open(String command, String input) {
        try {
            return input.equals("-")
                    ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
                    : Files.newBufferedReader(Path.of(input), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            System.err.println(command + ": input file " + input + " does not exist");
        } catch (IOException e) {
            System.err.println(command + ": cannot read " + input + ": " + e.getMessage());
        }
        return null;
    }
}
