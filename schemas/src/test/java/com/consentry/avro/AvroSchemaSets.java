package com.consentry.avro;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.avro.AvroTypeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;
import org.apache.avro.SchemaParseException;

/**
 * Loads a set of {@code .avsc} files (the current schemas in {@code src/main/avro}, or the released
 * baseline in {@code src/test/resources/released}) and checks one set against the other.
 *
 * <p>A set is parsed with one fresh {@link Schema.Parser}, {@code common/} first (as the
 * avro-maven-plugin does with its {@code imports}), then the top-level files, then {@code state/} (the
 * values of the service's state stores and internal topics). A file that refers to a type defined in a
 * later file is retried once the others are in.
 */
final class AvroSchemaSets {

  static final String NAMESPACE = "com.consentry.avro";

  /** The directory and namespace of the state-store and internal-topic values of the service. */
  static final String STATE = "state";
  static final String STATE_NAMESPACE = NAMESPACE + "." + STATE;

  /** The six input events: each must carry {@code eventId} and {@code eventTime}. */
  static final List<String> INPUT_EVENTS = List.of(
      "CustomerEvent", "ConsentEvent", "UnsubscribeEvent", "OrderEvent", "CartEvent", "SendRequest");

  private AvroSchemaSets() {}

  /** The module directory (surefire sets {@code basedir}; the working directory otherwise). */
  static Path moduleDir() {
    return Path.of(System.getProperty("basedir", "")).toAbsolutePath();
  }

  static Path currentDir() {
    return moduleDir().resolve("src/main/avro");
  }

  static Path releasedDir() {
    return moduleDir().resolve("src/test/resources/released");
  }

  /** {@code .avsc} files of a set: {@code common/}, the top level, {@code state/}, each part in name order. */
  static List<Path> schemaFiles(Path root) {
    List<Path> files = new ArrayList<>(avscIn(root.resolve("common")));
    files.addAll(avscIn(root));
    files.addAll(avscIn(root.resolve(STATE)));
    return files;
  }

  /** True for a file of the {@code state/} part of a set. */
  static boolean isStateFile(Path file) {
    return file.getParent().getFileName().toString().equals(STATE);
  }

  private static List<Path> avscIn(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".avsc")).sorted().collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every named type of a set, by full name, parsed with a fresh parser. */
  static Map<String, Schema> load(Path root) {
    return typesOf(loadFiles(root).values());
  }

  /** The top-level schema of each file of a set, by file, parsed with one fresh parser. */
  static Map<Path, Schema> loadFiles(Path root) {
    List<Path> files = schemaFiles(root);
    if (files.isEmpty()) {
      throw new IllegalStateException("no .avsc files under " + root);
    }
    Schema.Parser parser = new Schema.Parser();
    Map<Path, Schema> parsed = new LinkedHashMap<>();
    Deque<Path> pending = new ArrayDeque<>(files);
    Map<Path, String> lastError = new LinkedHashMap<>();
    boolean progress = true;
    while (!pending.isEmpty() && progress) {
      progress = false;
      for (int i = pending.size(); i > 0; i--) {
        Path file = pending.removeFirst();
        try {
          parsed.put(file, parser.parse(file.toFile()));
          progress = true;
        } catch (SchemaParseException | AvroTypeException e) {
          // e.g. "Undefined schema": it refers to a type of a file not parsed yet
          lastError.put(file, e.getMessage());
          pending.addLast(file);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    if (!pending.isEmpty()) {
      throw new IllegalStateException("cannot parse " + pending.stream()
          .map(p -> p + ": " + lastError.get(p)).collect(Collectors.joining("; ")));
    }
    return parsed;
  }

  /** Every named type reachable from the given schemas, by full name. */
  static Map<String, Schema> typesOf(Iterable<Schema> roots) {
    Map<String, Schema> types = new TreeMap<>();
    for (Schema root : roots) {
      collect(root, types);
    }
    return types;
  }

  private static void collect(Schema s, Map<String, Schema> types) {
    switch (s.getType()) {
      case RECORD:
        if (types.putIfAbsent(s.getFullName(), s) == null) {
          s.getFields().forEach(f -> collect(f.schema(), types));
        }
        break;
      case ENUM:
      case FIXED:
        types.putIfAbsent(s.getFullName(), s);
        break;
      case ARRAY:
        collect(s.getElementType(), types);
        break;
      case MAP:
        collect(s.getValueType(), types);
        break;
      case UNION:
        s.getTypes().forEach(t -> collect(t, types));
        break;
      default:
        break;
    }
  }

  /**
   * The compatibility check of the gate: can a reader using {@code reader} (the current schema) read
   * data written with {@code writer} (the released schema)?
   */
  static SchemaPairCompatibility check(Schema reader, Schema writer) {
    return SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
  }

  /**
   * Everything that stops the current set from reading data written with the released set: a released
   * type missing from the current set, or a released type whose current version is not a
   * {@link SchemaCompatibilityType#COMPATIBLE} reader of it. Empty when the gate passes.
   */
  static List<String> backwardIncompatibilities(Map<String, Schema> current, Map<String, Schema> released) {
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, Schema> e : new TreeMap<>(released).entrySet()) {
      String name = e.getKey();
      Schema now = current.get(name);
      if (now == null) {
        problems.add(name + ": released type was removed from the current schemas");
        continue;
      }
      SchemaPairCompatibility result = check(now, e.getValue());
      if (result.getType() != SchemaCompatibilityType.COMPATIBLE) {
        problems.add(name + ": " + result.getType() + " " + describe(result.getResult().getIncompatibilities()));
      }
    }
    return problems;
  }

  private static String describe(List<Incompatibility> incompatibilities) {
    return incompatibilities.stream()
        .map(i -> i.getType() + " at " + i.getLocation() + " (" + i.getMessage() + ")")
        .collect(Collectors.joining("; ", "[", "]"));
  }
}
