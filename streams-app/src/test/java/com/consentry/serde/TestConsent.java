package com.consentry.serde;

import java.time.Instant;
import org.apache.avro.Conversion;
import org.apache.avro.Schema;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * A hand-written Avro specific record shaped like the classes avro-maven-plugin generates (static SCHEMA$, MODEL$
 * with the timestamp-millis conversion, per-field conversions), so serde tests do not depend on
 * com.consentry.avro.
 */
public class TestConsent extends SpecificRecordBase {

    /** Version 1: what an older producer wrote (no note, no source). */
    public static final String V1_SCHEMA_JSON = "{\"type\":\"record\",\"name\":\"TestConsent\",\"namespace\":\"com.consentry.serde\","
            + "\"fields\":["
            + "{\"name\":\"subjectId\",\"type\":{\"type\":\"string\",\"avro.java.string\":\"String\"}},"
            + "{\"name\":\"granted\",\"type\":\"boolean\"},"
            + "{\"name\":\"occurredAt\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}}"
            + "]}";

    /** Version 2, this class: adds an optional note (default null) and a source (default "unknown"). */
    public static final Schema SCHEMA$ = new Schema.Parser().parse(
            "{\"type\":\"record\",\"name\":\"TestConsent\",\"namespace\":\"com.consentry.serde\","
            + "\"fields\":["
            + "{\"name\":\"subjectId\",\"type\":{\"type\":\"string\",\"avro.java.string\":\"String\"}},"
            + "{\"name\":\"granted\",\"type\":\"boolean\"},"
            + "{\"name\":\"occurredAt\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}},"
            + "{\"name\":\"note\",\"type\":[\"null\",{\"type\":\"string\",\"avro.java.string\":\"String\"}],\"default\":null},"
            + "{\"name\":\"source\",\"type\":{\"type\":\"string\",\"avro.java.string\":\"String\"},\"default\":\"unknown\"}"
            + "]}");

    private static final SpecificData MODEL$ = new SpecificData();

    static {
        MODEL$.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
    }

    private static final Conversion<?>[] CONVERSIONS =
            {null, null, new TimeConversions.TimestampMillisConversion(), null, null};

    private String subjectId;
    private boolean granted;
    private Instant occurredAt;
    private String note;
    private String source;

    /** Used by Avro when reading. */
    public TestConsent() {
    }

    public TestConsent(String subjectId, boolean granted, Instant occurredAt, String note, String source) {
        this.subjectId = subjectId;
        this.granted = granted;
        this.occurredAt = occurredAt;
        this.note = note;
        this.source = source;
    }

    public static Schema getClassSchema() {
        return SCHEMA$;
    }

    @Override
    public Schema getSchema() {
        return SCHEMA$;
    }

    @Override
    public SpecificData getSpecificData() {
        return MODEL$;
    }

    @Override
    public Conversion<?> getConversion(int field) {
        return CONVERSIONS[field];
    }

    @Override
    public Object get(int field) {
        switch (field) {
            case 0: return subjectId;
            case 1: return granted;
            case 2: return occurredAt;
            case 3: return note;
            case 4: return source;
            default: throw new IndexOutOfBoundsException("Invalid index: " + field);
        }
    }

    @Override
    public void put(int field, Object value) {
        switch (field) {
            case 0: subjectId = value == null ? null : value.toString(); break;
            case 1: granted = (Boolean) value; break;
            case 2: occurredAt = (Instant) value; break;
            case 3: note = value == null ? null : value.toString(); break;
            case 4: source = value == null ? null : value.toString(); break;
            default: throw new IndexOutOfBoundsException("Invalid index: " + field);
        }
    }

    public String getSubjectId() {
        return subjectId;
    }

    public boolean getGranted() {
        return granted;
    }

    public Instant getOccurredAt() {
        return occurredAt;
    }

    public String getNote() {
        return note;
    }

    public String getSource() {
        return source;
    }
}
