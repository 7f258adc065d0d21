package com.consentry.topology;

import com.consentry.avro.CartAction;
import com.consentry.avro.Channel;
import com.consentry.avro.Decision;
import com.consentry.avro.SendDecision;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static com.consentry.topology.TopologyHarness.NAP;
import static com.consentry.topology.TopologyHarness.added;
import static com.consentry.topology.TopologyHarness.cart;
import static com.consentry.topology.TopologyHarness.customer;
import static com.consentry.topology.TopologyHarness.grant;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12, "a cart reminder approved after the cart was checked out": once a task had been idle for the
 * idle grace, the wall clock fired everything due, so a stall of the data longer than the grace decided a
 * reminder before the checkout that was only delayed. With {@code consentry.punctuate.max-lead} (PT5M by
 * default) the wall clock never fires a due time further ahead of the newest event time the task has seen.
 */
class WallClockLeadTopologyTest {
    private static final Instant ADDED = Instant.parse("2026-05-01T13:54:41Z");
    private static final Instant CHECKED_OUT = Instant.parse("2026-05-01T14:31:56Z");

    @TempDir
    Path stateDir;
    private TopologyHarness h;
    /** Whether the harness's input backlog says the tasks' inputs hold records not fetched yet. */
    private final AtomicBoolean behind = new AtomicBoolean();
    private ListAppender<ILoggingEvent> log;
    private Logger logger;

    @BeforeEach
    void start() {
        // the service's default bound, not the harness's unbounded one
        h = TopologyHarness.start(stateDir, Instant.parse("2026-05-01T09:00:00Z"), Map.of("consentry.punctuate.max-lead", "PT5M"),
                partition -> behind.get());
        logger = (Logger) LoggerFactory.getLogger(WallClockFiring.class);
        log = new ListAppender<>();
        log.start();
        logger.addAppender(log);
    }

    @AfterEach
    void stop() {
        logger.detachAppender(log);
        h.close();
    }

    /** A US customer (EMAIL is opt-out there) with an EMAIL grant and a cart, all at {@code at}. */
    private void customerWithCart(String customerId, String cartId, Instant at) {
        h.pipe(customer("p-" + customerId, customerId, at).setCountry("US").setEmail(customerId + "@example.com").build());
        h.pipe(grant("g-" + customerId, customerId, at, NAP, Channel.EMAIL));
        h.pipe(added("a-" + cartId, customerId, at, cartId, NAP, "sku-1", 1));
        assertThat(h.eligibility()).isNotEmpty();
    }

    private List<String> heldLines() {
        return log.list.stream().map(ILoggingEvent::getFormattedMessage).filter(m -> m.startsWith("wall-clock-held"))
                .toList();
    }

    @Test
    void aCheckoutDelayedPastTheIdleGraceAndTheDueTimeStillPreventsTheReminder() {
        customerWithCart("c1", "k1", ADDED);
        // the data stalls: the wall clock passes the idle grace and the reminder's due time (14:54:41)
        while (h.now().isBefore(Instant.parse("2026-05-01T15:10:00Z"))) {
            h.advanceBy(Duration.ofMinutes(1));
        }
        h.assertNoNewOutput();
        assertThat(h.reminderDueStore()).as("the timer is held, not taken").hasSize(1);
        assertThat(heldLines()).as("the hold is logged once, though the wall clock looked every minute")
                .singleElement().satisfies(m -> assertThat(m).contains("next-due=2026-05-01T14:54:41Z",
                        "newest-event-time=2026-05-01T13:54:41Z", "max-lead=PT5M"));

        // then the delayed checkout arrives
        h.pipeKeepingClock(cart("c-k1", "c1", CHECKED_OUT, "k1", NAP, CartAction.CHECKED_OUT, null, null));
        h.advanceBy(Duration.ofDays(1));
        assertThat(h.decisions()).as("no reminder for a cart that was checked out").isEmpty();
        assertThat(h.reminders()).isEmpty();
        assertThat(h.reminderDueStore()).as("the checkout removed the timer").isEmpty();
    }

    @Test
    void theWallClockFiresUpToTheBoundAheadOfTheNewestEventTimeAndHoldsWhatLiesBeyond() {
        customerWithCart("c1", "k1", Instant.parse("2026-05-01T10:00:00Z")); // due 11:00
        customerWithCart("c2", "k2", Instant.parse("2026-05-01T10:03:00Z")); // due 11:03
        // the newest event time reaches 10:57: the wall clock may fire up to 11:02, not 11:03
        h.pipe(customer("p-c3", "c3", Instant.parse("2026-05-01T10:57:00Z")).setCountry("US").build());
        h.advanceTo(Instant.parse("2026-05-01T12:00:00Z"));
        List<TestRecord<String, SendDecision>> fired = h.decisions();
        assertThat(fired).extracting(d -> d.value().getCartId() + "/" + d.value().getDecision() + "@"
                + d.value().getDecidedAt()).containsExactly("k1/" + Decision.APPROVED + "@2026-05-01T11:00:00Z");
        assertThat(heldLines()).singleElement().satisfies(m -> assertThat(m).contains("next-due=2026-05-01T11:03:00Z"));

        // a record moves the event time on past the held due time: it fires, before that record, as of its due time
        h.pipe(customer("p2-c3", "c3", Instant.parse("2026-05-01T11:04:00Z")).setCountry("US").build());
        assertThat(h.decisions()).extracting(d -> d.value().getCartId() + "@" + d.value().getDecidedAt())
                .containsExactly("k2@2026-05-01T11:03:00Z");
        assertThat(h.reminders()).extracting(r -> r.value().getCartId()).containsExactly("k1", "k2");
    }

    @Test
    void afterARestartTheWallClockWaitsForARecordBeforeFiringBeyondTheBound() {
        customerWithCart("c1", "k1", Instant.parse("2026-05-01T10:00:00Z")); // due 11:00
        // the instance is down past the due time and no record arrives after its restart
        h.restart(Instant.parse("2026-05-01T13:00:00Z"));
        h.advanceBy(Duration.ofHours(1));
        h.assertNoNewOutput();
        // the first record after the restart is past the due time: the reminder fires, as of its due time
        h.pipe(customer("p-c2", "c2", Instant.parse("2026-05-01T14:00:00Z")).setCountry("US").build());
        assertThat(h.decisions()).extracting(d -> d.value().getCartId() + "/" + d.value().getDecision() + "@"
                + d.value().getDecidedAt()).containsExactly("k1/" + Decision.APPROVED + "@2026-05-01T11:00:00Z");
    }

    @Test
    void theWallClockFiresNothingWhileTheTaskIsBehindItsInputEndOffsets() {
        customerWithCart("c1", "k1", Instant.parse("2026-05-01T10:00:00Z")); // due 11:00
        // the newest event time reaches 10:58: the wall clock may fire up to 11:03
        h.pipe(customer("p-c2", "c2", Instant.parse("2026-05-01T10:58:00Z")).setCountry("US").build());
        // the partitions hold records not fetched yet (a slow consumer, a broker that serves slowly): the idle
        // grace passes, the due time is within the bound, and still nothing fires
        behind.set(true);
        h.advanceBy(Duration.ofMinutes(10));
        assertThat(h.decisions()).isEmpty();
        assertThat(heldLines()).singleElement().satisfies(m -> assertThat(m).contains("has not read yet"));
        // once the task has read its inputs to their ends, the wall clock fires what is due
        behind.set(false);
        h.advanceBy(Duration.ofMinutes(1));
        assertThat(h.decisions()).extracting(d -> d.value().getCartId() + "/" + d.value().getDecision() + "@"
                + d.value().getDecidedAt()).containsExactly("k1/" + Decision.APPROVED + "@2026-05-01T11:00:00Z");
    }
}
