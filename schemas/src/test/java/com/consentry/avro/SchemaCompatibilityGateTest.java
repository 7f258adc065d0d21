package com.consentry.avro;

import static com.consentry.avro.AvroSchemaSets.backwardIncompatibilities;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/**
 * Backward-compatibility gate: every schema in {@code src/main/avro} must be able to read data
 * written with the released version of the same type in {@code src/test/resources/released}
 * (new readers read old data, Avro reader/writer resolution).
 *
 * <p><b>When you release, refresh {@code released/}:</b> copy {@code src/main/avro} (same layout,
 * {@code common/} included) over {@code src/test/resources/released}, so the next change is checked
 * against what is actually deployed. Do not edit {@code released/} to make this test pass.
 */
class SchemaCompatibilityGateTest {

  @Test
  void currentSchemasReadDataWrittenWithTheReleasedOnes() {
    Map<String, Schema> current = AvroSchemaSets.load(AvroSchemaSets.currentDir());
    Map<String, Schema> released = AvroSchemaSets.load(AvroSchemaSets.releasedDir());

    assertThat(released).as("released baseline").isNotEmpty();
    assertThat(backwardIncompatibilities(current, released))
        .as("current schemas that cannot read released data (fix the schema, e.g. give the new field"
            + " a default; never edit released/ to pass)")
        .isEmpty();
  }

  @Test
  void releasedBaselineHasTheSameLayoutAsTheCurrentSchemas() {
    // Every released file still has a current file at the same relative path (a released type that
    // moved or disappeared would otherwise only be noticed by type name).
    Path current = AvroSchemaSets.currentDir();
    Path released = AvroSchemaSets.releasedDir();
    Map<String, Boolean> missing = new TreeMap<>();
    for (Path file : AvroSchemaSets.schemaFiles(released)) {
      Path rel = released.relativize(file);
      if (!current.resolve(rel).toFile().isFile()) {
        missing.put(rel.toString(), true);
      }
    }
    assertThat(missing.keySet()).as("released .avsc files missing from src/main/avro").isEmpty();
  }
}
