package com.consentry.e2e;

import com.consentry.avro.DecisionKind;
import com.consentry.avro.SendDecision;
import com.consentry.config.AppConfig;
import com.consentry.service.ConsentryService;
import com.consentry.service.EventPublisher;
import com.consentry.simulate.LineParser;
import com.consentry.simulate.ParsedLine;
import com.consentry.topology.Topics;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12, "a cart reminder approved after the cart was checked out", reproduced over a real broker with the
 * issue's three steps: a customer, an EMAIL grant and a cart ITEM_ADDED at 2026-05-01T13:54:41Z; a wait longer
 * than the idle grace; then the cart's CHECKED_OUT at 14:31:56Z. Before the fix, the idle task's wall clock fired
 * everything due (the reminder, due at 14:54:41Z) and approved it; {@code simulate} on the same lines sends none.
 * Now the wall clock stays within {@code consentry.punctuate.max-lead} (PT5M) of the newest event time.
 */
class ReminderAfterCheckoutIT extends WithLocalCluster {
    private static final Duration IDLE_GRACE = Duration.ofSeconds(2);

    @Test
    void aCheckoutProducedAfterTheIdleGraceStillPreventsTheReminder() throws Exception {
        String prefix = LocalCluster.uniquePrefix();
        AppConfig config = cluster.config(prefix, Files.createDirectories(temp.resolve(prefix)), Map.of(
                "consentry.punctuate.idle-grace", IDLE_GRACE.toString()));
        Topics topics = config.topics();
        LineParser parser = new LineParser(topics);
        Logger logger = (Logger) LoggerFactory.getLogger("com.consentry.topology.WallClockFiring");
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        logger.addAppender(log);
        try (ConsentryService service = new ConsentryService(config);
             EventPublisher publisher = new EventPublisher(config, cluster.registryClient)) {
            service.start();
            int n = 0;
            for (String line : List.of(
                    "{\"type\":\"customer\",\"at\":\"2026-05-01T13:54:41Z\",\"customerId\":\"r1\",\"eventType\":\"UPSERT\","
                            + "\"country\":\"GB\",\"email\":\"r1@example.com\"}",
                    "{\"type\":\"consent\",\"at\":\"2026-05-01T13:54:41Z\",\"customerId\":\"r1\",\"brand\":\"NET-A-PORTER\","
                            + "\"channel\":\"EMAIL\",\"status\":\"GRANTED\",\"source\":\"CHECKOUT\"}",
                    "{\"type\":\"cart\",\"at\":\"2026-05-01T13:54:41Z\",\"cartId\":\"k1\",\"customerId\":\"r1\","
                            + "\"brand\":\"NET-A-PORTER\",\"action\":\"ITEM_ADDED\",\"sku\":\"sku-1\",\"quantity\":1}")) {
                publisher.publish((ParsedLine.Event) parser.parse(line, ++n)).get();
            }
            cluster.awaitCaughtUp(config.get("consentry.application.id"), topics, Duration.ofSeconds(60));
            // the data stalls for longer than the idle grace (the wall clock looks every second)
            Thread.sleep(IDLE_GRACE.multipliedBy(4).toMillis());
            publisher.publish((ParsedLine.Event) parser.parse("{\"type\":\"cart\",\"at\":\"2026-05-01T14:31:56Z\","
                    + "\"cartId\":\"k1\",\"customerId\":\"r1\",\"brand\":\"NET-A-PORTER\",\"action\":\"CHECKED_OUT\"}", ++n))
                    .get();
            cluster.awaitCaughtUp(config.get("consentry.application.id"), topics, Duration.ofSeconds(60));
            // idle again for longer than the grace: nothing may fire now either
            Thread.sleep(IDLE_GRACE.multipliedBy(3).toMillis());
        } finally {
            logger.detachAppender(log);
        }
        List<ConsumerRecord<String, SendDecision>> decisions = cluster.readAll(topics.sendDecisions(),
                cluster.avro.decision().deserializer(), Duration.ofSeconds(1));
        assertThat(decisions).as("no reminder decided for a cart that was checked out")
                .noneMatch(r -> r.value().getKind() == DecisionKind.CART_REMINDER);
        assertThat(cluster.readAll(topics.cartReminders(), cluster.avro.reminder().deserializer(), Duration.ZERO))
                .as("no reminder sent").isEmpty();
        assertThat(cluster.readAll(topics.customerEligibility(), cluster.avro.eligibility().deserializer(),
                Duration.ZERO)).as("the customer and grant were processed").isNotEmpty();
        assertThat(log.list).extracting(ILoggingEvent::getFormattedMessage)
                .as("what the operator sees: the reminder held back by the bound, logged once")
                .filteredOn(m -> m.startsWith("wall-clock-held")).singleElement().asString()
                .contains("next-due=2026-05-01T14:54:41Z", "newest-event-time=2026-05-01T13:54:41Z", "max-lead=PT5M");
    }
}
