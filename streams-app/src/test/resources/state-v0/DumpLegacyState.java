import com.consentry.config.AppConfig;
import com.consentry.simulate.Simulator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.internals.WrappedStateStore;
import org.apache.kafka.streams.test.TestRecord;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs the PREVIOUS release's simulate (its real topology in TopologyTestDriver, its JsonSerde state)
 * over one input file and writes every state-store entry and every record of the changelog and internal
 * topics, raw bytes as the old code wrote them, as JSON lines.
 * Usage: java -cp state-base.jar:. DumpLegacyState INPUT.jsonl OUTPUT.jsonl
 */
public class DumpLegacyState {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        Path input = Path.of(args[0]);
        Path output = Path.of(args[1]);
        ByteArrayOutputStream decisions = new ByteArrayOutputStream();
        List<String> out = new ArrayList<>();
        try (PrintStream ps = new PrintStream(decisions, true, StandardCharsets.UTF_8);
             Simulator sim = new Simulator(AppConfig.of(Map.of()), ps)) {
            List<String> lines = Files.readAllLines(input);
            for (int i = 0; i < lines.size(); i++) {
                sim.accept(lines.get(i), i + 1);
            }
            Field f = Simulator.class.getDeclaredField("driver");
            f.setAccessible(true);
            TopologyTestDriver driver = (TopologyTestDriver) f.get(sim);
            Map<String, StateStore> stores = new TreeMap<>(driver.getAllStateStores());
            for (Map.Entry<String, StateStore> e : stores.entrySet()) {
                StateStore inner = e.getValue();
                while (inner instanceof WrappedStateStore<?, ?, ?> w) {
                    inner = w.wrapped();
                }
                @SuppressWarnings("unchecked")
                KeyValueStore<Bytes, byte[]> bytes = (KeyValueStore<Bytes, byte[]>) inner;
                try (KeyValueIterator<Bytes, byte[]> it = bytes.all()) {
                    while (it.hasNext()) {
                        KeyValue<Bytes, byte[]> kv = it.next();
                        ObjectNode n = JSON.createObjectNode();
                        n.put("store", e.getKey());
                        put(n, "key", kv.key.get());
                        put(n, "value", kv.value);
                        out.add(JSON.writeValueAsString(n));
                    }
                }
            }
            for (String topic : new java.util.TreeSet<>(driver.producedTopicNames())) {
                if (!topic.endsWith("-changelog") && !topic.startsWith("consentry-")) {
                    continue; // outputs: the simulator has read them
                }
                if (topic.equals("consentry-dead-letter")) {
                    continue;
                }
                for (TestRecord<byte[], byte[]> r : driver.createOutputTopic(topic, new ByteArrayDeserializer(),
                        new ByteArrayDeserializer()).readRecordsToList()) {
                    ObjectNode n = JSON.createObjectNode();
                    n.put("topic", topic);
                    n.put("timestamp", r.timestamp());
                    put(n, "key", r.key());
                    put(n, "value", r.value());
                    out.add(JSON.writeValueAsString(n));
                }
            }
        }
        Files.write(output, out);
        System.err.println(input.getFileName() + ": " + out.size() + " entries; decisions:\n"
                + decisions.toString(StandardCharsets.UTF_8));
    }

    /** Text when the bytes are UTF-8 (keys, JSON values); base64 under name + "Base64" otherwise. */
    private static void put(ObjectNode n, String name, byte[] b) {
        if (b == null) {
            n.putNull(name);
            return;
        }
        try {
            String s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
            n.put(name, s);
        } catch (CharacterCodingException e) {
            n.put(name + "Base64", Base64.getEncoder().encodeToString(b));
        }
    }
}
