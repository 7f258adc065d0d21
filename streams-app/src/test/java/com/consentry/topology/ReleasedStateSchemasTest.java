package com.consentry.topology;

import com.consentry.serde.StateSerde;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The deployed release wrote its state with the schemas of {@code schemas/src/test/resources/released/state}:
 * each serde must read values written with them. When a state schema changes, this fails until the
 * serde registers the released schema ({@link StateSerde#readingAlso}), so that values the deployed
 * release wrote stay readable; the compatibility gate of the schemas module checks that they resolve.
 */
class ReleasedStateSchemasTest {

    @Test
    void everySerdeReadsValuesWrittenWithTheReleasedStateSchemas() throws IOException {
        Map<String, Schema> released = releasedStateSchemas();
        check(released, StateSerdes.customers(), StateSamples.fullCustomer(), "CustomerState");
        check(released, StateSerdes.carts(), StateSamples.fullCart(), "CartState");
        check(released, StateSerdes.seen(), StateSamples.fullSeen(), "SeenSendRequest");
        check(released, StateSerdes.suppression(), StateSamples.fullSuppression(), "Suppression");
        check(released, StateSerdes.addressNotice(), new AddressNotice(AddressNotice.Op.LINK, "c-1", StateSamples.NANOS),
                "AddressNotice");
        check(released, StateSerdes.recheck(), new Recheck(StateSamples.NANOS, "hash-1"), "Recheck");
        check(released, StateSerdes.addressLinks(), new TreeSet<>(List.of("c-1", "c-2")), "AddressLinks");
    }

    /** Writes the value as the released schema would (current bytes resolved to it) and reads it back. */
    private static <T> void check(Map<String, Schema> released, StateSerde<T> serde, T value, String name)
            throws IOException {
        Schema writer = released.get("com.consentry.avro.state." + name);
        assertThat(writer).as("released schema of " + name).isNotNull();
        byte[] now = serde.serialize("t", value);
        GenericRecord asReleased = new GenericDatumReader<GenericRecord>(serde.schema(), writer)
                .read(null, DecoderFactory.get().binaryDecoder(now, StateSerde.AVRO_HEADER_SIZE,
                        now.length - StateSerde.AVRO_HEADER_SIZE, null));
        byte[] written = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), writer).encode(asReleased).array();

        T read = serde.deserialize("t", written);

        assertThat(read).as(name + " written with the released schema").isNotNull();
    }

    /** The released state schemas by full name, parsed with the released common types. */
    private static Map<String, Schema> releasedStateSchemas() throws IOException {
        Path released = releasedDir();
        List<File> files = new ArrayList<>();
        for (String part : List.of("common", "state")) {
            try (var s = Files.list(released.resolve(part))) {
                s.filter(p -> p.toString().endsWith(".avsc")).sorted().forEach(p -> files.add(p.toFile()));
            }
        }
        Schema.Parser parser = new Schema.Parser();
        Map<String, Schema> out = new HashMap<>();
        Deque<File> pending = new ArrayDeque<>(files);
        int sinceProgress = 0;
        while (!pending.isEmpty() && sinceProgress <= pending.size()) {
            File f = pending.removeFirst();
            try {
                Schema s = parser.parse(f);
                out.put(s.getFullName(), s);
                sinceProgress = 0;
            } catch (org.apache.avro.SchemaParseException | org.apache.avro.AvroTypeException e) {
                pending.addLast(f); // refers to a type of a file not parsed yet
                sinceProgress++;
            }
        }
        assertThat(pending).as("released schemas that do not parse").isEmpty();
        return out;
    }

    private static Path releasedDir() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path released = dir.resolve("schemas/src/test/resources/released");
            if (Files.isDirectory(released.resolve("state"))) {
                return released;
            }
        }
        throw new IllegalStateException("schemas/src/test/resources/released/state not found from "
                + Path.of("").toAbsolutePath());
    }
}
