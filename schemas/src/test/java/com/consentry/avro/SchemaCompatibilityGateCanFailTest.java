package com.consentry.avro;

import static com.consentry.avro.AvroSchemaSets.backwardIncompatibilities;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Proves the gate in {@link SchemaCompatibilityGateTest} rejects incompatible changes. */
class SchemaCompatibilityGateCanFailTest {

  private static final String CONSENT_EVENT = AvroSchemaSets.NAMESPACE + ".ConsentEvent";
  private static final String CHANNEL = AvroSchemaSets.NAMESPACE + ".Channel";
  private static final String CONSENT_FACT = AvroSchemaSets.STATE_NAMESPACE + ".ConsentFact";

  private static Map<String, Schema> released;

  @BeforeAll
  static void loadReleased() {
    released = AvroSchemaSets.load(AvroSchemaSets.releasedDir());
  }

  @ParameterizedTest
  @ValueSource(strings = {CONSENT_EVENT, CONSENT_FACT})
  void aFieldAddedWithoutDefaultIsIncompatible(String type) {
    // a topic value and a state value (state/ goes through the same gate: a release reads the state the previous wrote)
    Schema old = released.get(type);
    assertThat(old).as(type + " in the released baseline").isNotNull();
    List<Schema.Field> fields = copyFields(old);
    fields.add(new Schema.Field("loyaltyTier", Schema.create(Schema.Type.STRING), "a new required field"));
    Map<String, Schema> current = replace(type, record(old, fields));

    assertThat(backwardIncompatibilities(current, released))
        .singleElement().asString()
        .startsWith(type + ": INCOMPATIBLE")
        .contains("READER_FIELD_MISSING_DEFAULT")
        .contains("loyaltyTier");
  }

  @Test
  void aStateFieldAddedWithADefaultIsCompatible() {
    Schema old = released.get(CONSENT_FACT);
    List<Schema.Field> fields = copyFields(old);
    fields.add(new Schema.Field("purpose", Schema.createUnion(Schema.create(Schema.Type.NULL),
        Schema.create(Schema.Type.STRING)), "a new optional field", org.apache.avro.JsonProperties.NULL_VALUE));

    assertThat(backwardIncompatibilities(replace(CONSENT_FACT, record(old, fields)), released)).isEmpty();
  }

  @Test
  void aChangedFieldTypeIsIncompatible() {
    Schema old = released.get(CONSENT_EVENT);
    List<Schema.Field> fields = new ArrayList<>();
    for (Schema.Field f : old.getFields()) {
      fields.add(f.name().equals("brand")
          ? new Schema.Field(f.name(), Schema.create(Schema.Type.INT), f.doc())
          : new Schema.Field(f, f.schema()));
    }
    Map<String, Schema> current = replace(CONSENT_EVENT, record(old, fields));

    assertThat(backwardIncompatibilities(current, released))
        .singleElement().asString()
        .startsWith(CONSENT_EVENT + ": INCOMPATIBLE")
        .contains("TYPE_MISMATCH")
        .contains("/fields/3/type");
  }

  @Test
  void aRemovedTypeIsIncompatible() {
    Map<String, Schema> current = new TreeMap<>(AvroSchemaSets.load(AvroSchemaSets.currentDir()));
    current.remove(CONSENT_EVENT);

    assertThat(backwardIncompatibilities(current, released))
        .containsExactly(CONSENT_EVENT + ": released type was removed from the current schemas");
  }

  @Test
  void anEnumWithoutDefaultLosingASymbolIsIncompatible() {
    Schema old = released.get(CHANNEL);
    List<String> symbols = new ArrayList<>(old.getEnumSymbols());
    symbols.remove("TARGETED_ADS");
    Schema narrowed = Schema.createEnum(old.getName(), old.getDoc(), old.getNamespace(), symbols);

    assertThat(backwardIncompatibilities(replace(CHANNEL, narrowed), released))
        .singleElement().asString()
        .startsWith(CHANNEL + ": INCOMPATIBLE")
        .contains("MISSING_ENUM_SYMBOLS");
  }

  @Test
  void theEnumDefaultLetsAnOldReaderMeetAFutureSymbol() {
    // The reason every enum has default UNKNOWN: data written with a newer symbol stays readable.
    Schema old = released.get(CHANNEL);
    List<String> symbols = new ArrayList<>(old.getEnumSymbols());
    symbols.add("WHATSAPP");
    Schema future = Schema.createEnum(old.getName(), old.getDoc(), old.getNamespace(), symbols, "UNKNOWN");

    assertThat(AvroSchemaSets.check(old, future).getType())
        .isEqualTo(org.apache.avro.SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE);
  }

  private static Map<String, Schema> replace(String name, Schema schema) {
    Map<String, Schema> current = new TreeMap<>(AvroSchemaSets.load(AvroSchemaSets.currentDir()));
    assertThat(current).containsKey(name);
    current.put(name, schema);
    return current;
  }

  private static List<Schema.Field> copyFields(Schema record) {
    List<Schema.Field> fields = new ArrayList<>();
    for (Schema.Field f : record.getFields()) {
      fields.add(new Schema.Field(f, f.schema()));
    }
    return fields;
  }

  private static Schema record(Schema template, List<Schema.Field> fields) {
    return Schema.createRecord(template.getName(), template.getDoc(), template.getNamespace(), false, fields);
  }
}
