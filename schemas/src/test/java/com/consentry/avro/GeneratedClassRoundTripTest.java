package com.consentry.avro;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/** Generated classes serialise and deserialise, with logical types mapped to java.time. */
class GeneratedClassRoundTripTest {

  @Test
  void consentEventRoundTripsWithInstants() throws IOException {
    Instant eventTime = Instant.parse("2025-03-01T10:15:30.123Z");
    Instant expiresAt = Instant.parse("2026-03-01T00:00:00Z");
    ConsentEvent in = ConsentEvent.newBuilder()
        .setEventId("ev-1")
        .setCustomerId("c-42")
        .setEventTime(eventTime)
        .setBrand("NET-A-PORTER")
        .setChannel(Channel.EMAIL)
        .setStatus(ConsentStatus.GRANTED)
        .setSource("CHECKOUT")
        .setExpiresAt(expiresAt)
        .build();

    ConsentEvent out = roundTrip(in, ConsentEvent.getClassSchema(), ConsentEvent.class);

    assertThat(out).isEqualTo(in);
    assertThat(out.getEventTime()).isInstanceOf(Instant.class).isEqualTo(eventTime);
    assertThat(out.getExpiresAt()).isInstanceOf(Instant.class).isEqualTo(expiresAt);
    assertThat(out.getChannel()).isSameAs(Channel.EMAIL);
  }

  @Test
  void customerEventRoundTripsWithLocalDateAndDefaults() throws IOException {
    CustomerEvent in = CustomerEvent.newBuilder()
        .setEventId("ev-2")
        .setCustomerId("c-42")
        .setEventTime(Instant.parse("2025-03-01T10:15:30Z"))
        .setType(CustomerEventType.UPSERT)
        .setBirthDate(LocalDate.of(2010, 2, 28))
        .setTimezone("Europe/Berlin")
        .build();

    assertThat(in.getClearedFields()).as("clearedFields defaults to []").isEmpty();
    assertThat(in.getEmail()).as("optional fields default to null").isNull();

    CustomerEvent out = roundTrip(in, CustomerEvent.getClassSchema(), CustomerEvent.class);

    assertThat(out).isEqualTo(in);
    assertThat(out.getBirthDate()).isInstanceOf(LocalDate.class).isEqualTo(LocalDate.of(2010, 2, 28));
  }

  @Test
  void anUnknownFutureEnumSymbolIsReadAsUnknown() throws IOException {
    // A newer writer adds a channel; an old reader must still read the record, as UNKNOWN.
    Schema channel = Channel.getClassSchema();
    List<String> symbols = new ArrayList<>(channel.getEnumSymbols());
    symbols.add("WHATSAPP");
    Schema futureChannel = Schema.createEnum(channel.getName(), channel.getDoc(), channel.getNamespace(),
        symbols, "UNKNOWN");
    Schema reader = ConsentEvent.getClassSchema();
    List<Schema.Field> fields = new ArrayList<>();
    for (Schema.Field f : reader.getFields()) {
      fields.add(new Schema.Field(f, f.name().equals("channel") ? futureChannel : f.schema()));
    }
    Schema writer = Schema.createRecord(reader.getName(), reader.getDoc(), reader.getNamespace(), false, fields);

    GenericRecord rec = new GenericData.Record(writer);
    rec.put("eventId", "ev-3");
    rec.put("customerId", "c-42");
    rec.put("eventTime", Instant.parse("2025-03-01T10:15:30Z").toEpochMilli());
    rec.put("brand", "*");
    rec.put("channel", new GenericData.EnumSymbol(futureChannel, "WHATSAPP"));
    rec.put("status", new GenericData.EnumSymbol(ConsentStatus.getClassSchema(), "GRANTED"));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    BinaryEncoder enc = EncoderFactory.get().binaryEncoder(bytes, null);
    new GenericDatumWriter<GenericRecord>(writer).write(rec, enc);
    enc.flush();

    ConsentEvent out = new SpecificDatumReader<ConsentEvent>(writer, reader)
        .read(null, DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));

    assertThat(out.getChannel()).isEqualTo(Channel.UNKNOWN);
    assertThat(out.getStatus()).isEqualTo(ConsentStatus.GRANTED);
    assertThat(out.getEventTime()).isEqualTo(Instant.parse("2025-03-01T10:15:30Z"));
  }

  private static <T extends SpecificRecord> T roundTrip(T in, Schema schema, Class<T> type) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    BinaryEncoder enc = EncoderFactory.get().binaryEncoder(bytes, null);
    new SpecificDatumWriter<T>(schema).write(in, enc);
    enc.flush();
    T out = new SpecificDatumReader<T>(schema).read(null, DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));
    assertThat(out).isInstanceOf(type);
    return out;
  }
}
