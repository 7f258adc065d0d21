package com.consentry.replay;

import com.consentry.avro.CartReminder;
import com.consentry.avro.SendDecision;
import com.consentry.config.AppConfig;
import com.consentry.service.ConsentryService;
import com.consentry.topology.AvroSerdes;
import com.consentry.topology.Topics;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * {@code replay diff}: reads the live and the shadow outputs to their ends (the compacted
 * {@code customer-eligibility} topics, {@code send-decisions} and {@code cart-reminders}) and compares
 * them ({@link ViewDiff}).
 */
public final class ReplayDiff {
    private ReplayDiff() {
    }

    /** @throws IllegalArgumentException when there is no such replay under the configuration's state directory */
    public static DiffReport of(AppConfig live, String id) {
        Shadow shadow = new Shadow(live, id);
        if (ReplayControl.read(shadow.controlFile()).isEmpty()) {
            throw new IllegalArgumentException("no replay " + id + " under " + live.get("consentry.state.dir")
                    + " (start one with `replay start --id " + id + "`)");
        }
        AvroSerdes avro = AvroSerdes.using(ConsentryService.registryClient(live));
        TopicReader reader = new TopicReader(live);
        Topics a = live.topics();
        Topics b = shadow.topics();
        return ViewDiff.compare(id,
                reader.latest(a.customerEligibility(), avro.eligibility().deserializer()),
                reader.latest(b.customerEligibility(), avro.eligibility().deserializer()),
                reader.latestBy(a.sendDecisions(), avro.decision().deserializer(), SendDecision::getRequestId),
                reader.latestBy(b.sendDecisions(), avro.decision().deserializer(), SendDecision::getRequestId),
                reader.latestBy(a.cartReminders(), avro.reminder().deserializer(), CartReminder::getReminderId),
                reader.latestBy(b.cartReminders(), avro.reminder().deserializer(), CartReminder::getReminderId));
    }

    public static void writeJson(DiffReport report, Path file) {
        try {
            new ObjectMapper().registerModule(new JavaTimeModule()).disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                    .enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), report);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
