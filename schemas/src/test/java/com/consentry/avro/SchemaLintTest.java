package com.consentry.avro;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.JsonProperties;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** House rules for every schema in {@code src/main/avro}. */
class SchemaLintTest {

  private static Map<Path, Schema> files;
  private static Map<String, Schema> types;

  @BeforeAll
  static void load() {
    files = AvroSchemaSets.loadFiles(AvroSchemaSets.currentDir());
    types = AvroSchemaSets.typesOf(files.values());
  }

  @Test
  void everyRecordEnumAndFieldHasADoc() {
    List<String> undocumented = new ArrayList<>();
    for (Schema s : types.values()) {
      if (isBlank(s.getDoc())) {
        undocumented.add(s.getFullName());
      }
      if (s.getType() == Schema.Type.RECORD) {
        for (Schema.Field f : s.getFields()) {
          if (isBlank(f.doc())) {
            undocumented.add(s.getFullName() + "." + f.name());
          }
        }
      }
    }
    assertThat(undocumented).as("types and fields without a doc").isEmpty();
  }

  @Test
  void everyEnumHasUnknownAsFirstSymbolAndDefault() {
    List<String> bad = new ArrayList<>();
    types.values().stream().filter(s -> s.getType() == Schema.Type.ENUM).forEach(s -> {
      if (!"UNKNOWN".equals(s.getEnumSymbols().get(0)) || !"UNKNOWN".equals(s.getEnumDefault())) {
        bad.add(s.getFullName() + " symbols=" + s.getEnumSymbols() + " default=" + s.getEnumDefault());
      }
    });
    assertThat(types.values()).anyMatch(s -> s.getType() == Schema.Type.ENUM);
    assertThat(bad).as("enums must start with UNKNOWN and default to it").isEmpty();
  }

  @Test
  void everyInputEventHasEventIdAndEventTime() {
    for (String event : AvroSchemaSets.INPUT_EVENTS) {
      Schema s = types.get(AvroSchemaSets.NAMESPACE + "." + event);
      assertThat(s).as(event).isNotNull();
      Schema.Field eventId = s.getField("eventId");
      assertThat(eventId).as(event + ".eventId").isNotNull();
      assertThat(eventId.schema().getType()).as(event + ".eventId type").isEqualTo(Schema.Type.STRING);
      Schema.Field eventTime = s.getField("eventTime");
      assertThat(eventTime).as(event + ".eventTime").isNotNull();
      assertThat(eventTime.schema().getType()).as(event + ".eventTime type").isEqualTo(Schema.Type.LONG);
      assertThat(eventTime.schema().getLogicalType()).as(event + ".eventTime logical type")
          .isEqualTo(LogicalTypes.timestampMillis());
    }
  }

  @Test
  void optionalFieldsAreNullFirstUnionsDefaultingToNull() {
    List<String> bad = new ArrayList<>();
    forEachField((record, f) -> {
      if (f.schema().getType() == Schema.Type.UNION) {
        List<Schema> branches = f.schema().getTypes();
        boolean ok = branches.size() == 2
            && branches.get(0).getType() == Schema.Type.NULL
            && f.hasDefaultValue()
            && f.defaultVal() == JsonProperties.NULL_VALUE;
        if (!ok) {
          bad.add(record.getName() + "." + f.name() + " " + f.schema());
        }
      }
    });
    assertThat(bad).as("optional fields must be [\"null\", X] with default null").isEmpty();
  }

  @Test
  void instantsAreTimestampMillis() {
    // Naming convention: *Time and *At fields (and DeadLetter.timestamp) hold instants: timestamp-millis in
    // the topic schemas; in state/ a plain long of epoch milliseconds (see stateRecordsHaveCustomCoders).
    List<String> bad = new ArrayList<>();
    forEachField((record, f) -> {
      String n = f.name();
      if (isInstantName(n)) {
        Schema s = nonNull(f.schema());
        LogicalType lt = s.getLogicalType();
        boolean state = record.getNamespace().equals(AvroSchemaSets.STATE_NAMESPACE);
        if (s.getType() != Schema.Type.LONG || (state ? lt != null : !(lt instanceof LogicalTypes.TimestampMillis))) {
          bad.add(record.getName() + "." + n + " " + f.schema());
        }
      }
    });
    assertThat(bad).as("instant fields must be long/timestamp-millis (plain long in state/)").isEmpty();
    assertThat(nonNull(types.get(AvroSchemaSets.NAMESPACE + ".CustomerEvent").getField("birthDate").schema())
        .getLogicalType()).isEqualTo(LogicalTypes.date());
  }

  /** The naming convention of instant fields: *Time, *At, and DeadLetter.timestamp. */
  private static boolean isInstantName(String field) {
    return field.endsWith("Time") || field.endsWith("At") || field.equals("timestamp");
  }

  @Test
  void eachNamedTypeHasItsOwnFileInTheProjectNamespace() {
    files.forEach((file, schema) -> {
      assertThat(file.getFileName().toString()).isEqualTo(schema.getName() + ".avsc");
      assertThat(schema.getNamespace()).as(file.toString()).isEqualTo(AvroSchemaSets.isStateFile(file)
          ? AvroSchemaSets.STATE_NAMESPACE : AvroSchemaSets.NAMESPACE);
    });
    assertThat(files.values()).extracting(Schema::getFullName)
        .as("every named type is declared at the top of its own file")
        .containsExactlyInAnyOrderElementsOf(types.keySet());
    for (Path file : files.keySet()) {
      boolean inCommon = file.getParent().getFileName().toString().equals("common");
      Schema s = files.get(file);
      if (s.getType() == Schema.Type.ENUM) {
        // an enum of state/ is internal to the service: no topic contract shares it
        assertThat(inCommon || AvroSchemaSets.isStateFile(file))
            .as(file + ": enums are shared and live in common/ (or are internal, in state/)").isTrue();
      }
    }
  }

  @Test
  void stateInstantsCarryTheirNanoseconds() {
    // State must give back the very Instant it was given: each instant field X of state/ (a long of epoch
    // milliseconds) is followed by XNanoOfMilli (int, default 0), the nanoseconds the milliseconds cannot hold.
    List<String> bad = new ArrayList<>();
    int instants = 0;
    for (Map.Entry<Path, Schema> e : files.entrySet()) {
      if (!AvroSchemaSets.isStateFile(e.getKey()) || e.getValue().getType() != Schema.Type.RECORD) {
        continue;
      }
      List<Schema.Field> fields = e.getValue().getFields();
      for (int i = 0; i < fields.size(); i++) {
        Schema.Field f = fields.get(i);
        if (!isInstantName(f.name()) || nonNull(f.schema()).getType() != Schema.Type.LONG) {
          continue;
        }
        instants++;
        Schema.Field next = i + 1 < fields.size() ? fields.get(i + 1) : null;
        boolean ok = next != null && next.name().equals(f.name() + "NanoOfMilli")
            && next.schema().getType() == Schema.Type.INT
            && Integer.valueOf(0).equals(next.defaultVal());
        if (!ok) {
          bad.add(e.getValue().getName() + "." + f.name());
        }
      }
    }
    assertThat(instants).as("timestamp fields in state/").isPositive();
    assertThat(bad).as("state instants without a following <name>NanoOfMilli int field defaulting to 0").isEmpty();
  }

  @Test
  void stateRecordsHaveCustomCoders() throws ReflectiveOperationException {
    // Avro generates its fast encoder and decoder only for a record with no logical type anywhere inside it:
    // state values are written on every event, so no state schema carries one (timestamps are plain longs,
    // dates plain ints of days). Logical types are not part of the fingerprint: the bytes are the same.
    java.lang.reflect.Method hasCustomCoders =
        org.apache.avro.specific.SpecificRecordBase.class.getDeclaredMethod("hasCustomCoders");
    hasCustomCoders.setAccessible(true);
    List<String> without = new ArrayList<>();
    for (Map.Entry<Path, Schema> e : files.entrySet()) {
      if (!AvroSchemaSets.isStateFile(e.getKey()) || e.getValue().getType() != Schema.Type.RECORD) {
        continue;
      }
      Object record = SpecificData.get().getClass(e.getValue()).getDeclaredConstructor().newInstance();
      if (!(Boolean) hasCustomCoders.invoke(record)) {
        without.add(e.getValue().getName());
      }
    }
    assertThat(without).as("state records without Avro custom coders (a logical type inside?)").isEmpty();
  }

  @Test
  void generatedClassesMatchTheSchemaFiles() {
    for (Schema s : types.values()) {
      Schema generated = SpecificData.get().getSchema(SpecificData.get().getClass(s));
      // stringType=String makes the compiler mark strings (and the keys of maps) with avro.java.string;
      // nothing else differs.
      String withoutJavaHints = generated.toString()
          .replace("{\"type\":\"string\",\"avro.java.string\":\"String\"}", "\"string\"")
          .replace(",\"avro.java.string\":\"String\"", "");
      assertThat(withoutJavaHints).as(s.getFullName() + " generated class (rebuild to regenerate)")
          .isEqualTo(s.toString());
    }
  }

  private interface FieldVisitor {
    void visit(Schema record, Schema.Field field);
  }

  private static void forEachField(FieldVisitor visitor) {
    types.values().stream().filter(s -> s.getType() == Schema.Type.RECORD)
        .forEach(r -> r.getFields().forEach(f -> visitor.visit(r, f)));
  }

  private static Schema nonNull(Schema s) {
    if (s.getType() != Schema.Type.UNION) {
      return s;
    }
    return s.getTypes().stream().filter(t -> t.getType() != Schema.Type.NULL).findFirst().orElse(s);
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }
}
