package com.consentry.topology;

import com.consentry.avro.CustomerEligibility;
import com.consentry.ingest.Inbound;
import com.consentry.policy.Answer;
import com.consentry.policy.Profile;
import com.consentry.policy.SendOutcome;
import com.consentry.policy.SendPolicy;
import com.consentry.policy.SendRequest;
import com.consentry.policy.SentMessage;
import com.consentry.policy.Suppression;
import com.consentry.policy.SuppressionList;
import com.consentry.policy.TimeDrivenChanges;

import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The per-customer processor: records facts, publishes the eligibility view when an answer changes,
 * decides campaign sends, keeps carts, and on the wall clock fires due cart reminders and sweeps the
 * view for time-driven changes (expiry, turning 16, soft opt-in lapsing).
 */
final class CustomerProcessor implements Processor<Object, Object, Object, Object> {
    static final String ELIGIBILITY_SINK = "eligibility-sink";
    static final String DECISIONS_SINK = "decisions-sink";
    static final String REMINDERS_SINK = "reminders-sink";
    static final String SUPPRESSIONS_SINK = "suppressions-sink";
    static final String ADDRESS_INDEX_SINK = "address-index-sink";
    private static final StringSerializer KEYS = new StringSerializer();

    private final TopologySettings settings;
    private final FactRecorder recorder;
    private final EligibilityView view;
    private final SendGate gate;
    private final SendPolicy sendPolicy;
    private ProcessorContext<Object, Object> context;
    private KeyValueStore<String, CustomerState> customers;
    private KeyValueStore<String, SendGate.Seen> seen;
    private CartReminders carts;
    private ViewSweeps sweeps;
    private RetentionPurge retention;
    private SuppressionList suppressions;
    private KeyValueStore<String, Suppression> localSuppressions;
    private ReadOnlyKeyValueStore<String, Suppression> global;
    private HeldOutputs held;
    /** The newest event time this task has seen (in memory: after a restart the next record re-derives it). */
    private Instant streamTime = Instant.MIN;
    private long lastRecordWallMs;
    /**
     * The record timestamp of the input being processed, or {@code Long.MIN_VALUE} on the wall clock: what a held
     * output waits for the unsubscribe partitions to pass, as their progress is counted in record timestamps.
     */
    private long recordStampMs = Long.MIN_VALUE;
    private final WallClockFiring wallClock;

    CustomerProcessor(TopologySettings settings) {
        this.settings = settings;
        this.recorder = new FactRecorder(settings.addresses());
        this.view = new EligibilityView(settings.policy());
        this.sendPolicy = settings.sendPolicy();
        this.gate = new SendGate(sendPolicy, recorder);
        this.wallClock = new WallClockFiring(settings.idleGrace(), settings.maxLead());
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        // a task closed and opened again (revived after corruption, or reassigned) reads its indexes anew, and
        // derives its clock again from the records it reprocesses, as after a restart: its state is back where it
        // last committed, so the clock it had reached would keep the timers due before it from firing
        this.sweeps = null;
        this.held = null;
        this.streamTime = Instant.MIN;
        this.recordStampMs = Long.MIN_VALUE;
        this.customers = context.getStateStore(StoreNames.CUSTOMERS);
        this.seen = context.getStateStore(StoreNames.SEND_REQUESTS);
        this.global = context.getStateStore(StoreNames.SUPPRESSIONS);
        this.localSuppressions = context.getStateStore(StoreNames.LOCAL_SUPPRESSIONS);
        this.suppressions = GlobalSuppressionList.union(new GlobalSuppressionList(global),
                new GlobalSuppressionList(localSuppressions));
        lastRecordWallMs = context.currentSystemTimeMs();
        context.schedule(settings.punctuateInterval(), PunctuationType.WALL_CLOCK_TIME, this::onWallClock);
        if (settings.suppressionWait().waits()) {
            context.schedule(settings.suppressionWait().checkInterval(), PunctuationType.WALL_CLOCK_TIME, nowMs -> {
                openIndexes();
                held.release(System.currentTimeMillis(), this::publishHeld);
            });
        }
    }

    /**
     * Reads the indexes' marks from the stores on first use rather than in {@link #init}, so that they
     * are read from the stores as restored (and builds the sweep index of a store written without one).
     */
    private void openIndexes() {
        if (sweeps != null) {
            return;
        }
        KeyValueStore<String, Long> schedule = context.getStateStore(StoreNames.SCHEDULE);
        KeyValueStore<String, String> reminderDue = context.getStateStore(StoreNames.REMINDER_DUE);
        this.carts = new CartReminders(settings.reminderDelay(), context.getStateStore(StoreNames.CARTS), reminderDue,
                new LowWaterMark(schedule, CartReminders.LOW_WATER, () -> CartReminders.firstDueMillis(reminderDue)));
        this.sweeps = new ViewSweeps(new TimeDrivenChanges(settings.policy()), context.getStateStore(StoreNames.SWEEP_DUE),
                schedule);
        sweeps.buildIfAbsent(customers, suppressions);
        this.retention = new RetentionPurge(settings.retentionRules(), context.getStateStore(StoreNames.RETENTION_DUE),
                schedule, customers, context.getStateStore(StoreNames.CARTS), reminderDue, seen);
        retention.buildIfAbsent();
        this.held = new HeldOutputs(context.getStateStore(StoreNames.HELD_OUTPUTS),
                settings.suppressionWait().barrier(), global, context.taskId().partition());
    }

    @Override
    public void process(Record<Object, Object> record) {
        openIndexes();
        lastRecordWallMs = context.currentSystemTimeMs();
        recordStampMs = record.timestamp();
        Instant eventTime = eventTime(record);
        if (eventTime.isAfter(streamTime)) {
            // what falls due at or before this record's time is decided before it
            fireDue(eventTime);
            streamTime = eventTime;
        }
        String customerId = (String) record.key();
        if (record.value() instanceof Recheck r) {
            CustomerState s = customers.get(customerId);
            if (s != null) {
                publish(customerId, s, new HeldOutputs.Recording(suppressions), r.at(), RowScope.ALL);
                customers.put(customerId, s);
            }
            return;
        }
        Inbound in = (Inbound) record.value();
        CustomerState s = Optional.ofNullable(customers.get(customerId)).orElseGet(CustomerState::new);
        if (in instanceof Inbound.Send send) {
            List<SentMessage> counted = List.copyOf(s.sent);
            HeldOutputs.Recording list = new HeldOutputs.Recording(suppressions);
            SendGate.Decided d = gate.decide(s, send, list, seen);
            if (!d.repeat()) {
                retention.onSeen(customerId, send.requestId(), send.at());
            }
            if (!s.sent.equals(counted)) {
                // only an approved marketing message changes the customer (what the cap counts)
                customers.put(customerId, s);
            }
            hold(customerId, list, new HeldOutputs.Send(d.request(), d.seen().campaignId(), null, d.repeat(),
                    d.seen().outcome(), null), null, null);
            return;
        }
        FactRecorder.Effects fx = recorder.record(s.history, in);
        if (fx.recorded()) {
            retention.onRecorded(customerId, s, in);
        }
        publishSuppressions(in instanceof Inbound.Unsubscribe ? withOrigin(fx.suppressions()) : fx.suppressions());
        if (fx.erased()) {
            erase(customerId, s);
        } else if (fx.recorded() && in instanceof Inbound.Cart c) {
            carts.onCart(c, s.history.orders);
        } else if (fx.recorded() && in instanceof Inbound.Order o) {
            carts.onOrder(o, s.history.orders);
        }
        if (fx.recorded() || !fx.suppressions().isEmpty()) {
            if (in instanceof Inbound.Customer) {
                // only a profile change or an erasure changes the customer's current addresses
                relink(customerId, s, in.at());
            }
            HeldOutputs.Recording list = new HeldOutputs.Recording(suppressions);
            RowScope scope = s.history.erasedAt != null || !fx.suppressions().isEmpty() || suppressed(s, list)
                    ? RowScope.ALL : RowScope.of(in);
            publish(customerId, s, list, in.at(), scope);
            customers.put(customerId, s);
        }
    }

    /**
     * The time a record moves the task's clock to: an event's own time, from its value. Its record timestamp
     * only orders the task's input partitions (publishers stamp records in publishing order, which may run
     * ahead of the event time: {@link com.consentry.ingest.ArrivalClock}). A re-check is stamped by the
     * address index with the time of the fact that caused it.
     */
    private static Instant eventTime(Record<Object, Object> record) {
        return record.value() instanceof Inbound in ? in.at() : Instant.ofEpochMilli(record.timestamp());
    }

    /**
     * Publishes an output once the suppression list has caught up with it (see {@link HeldOutputs}). A
     * decision always waits; a view or a tombstone only behind one, or when it shows an eligible row.
     */
    private void hold(String customerId, HeldOutputs.Recording list, HeldOutputs.Send send, CustomerEligibility view,
                      Instant erasedAt) {
        boolean safe = send == null && (view == null
                || view.getRows().stream().noneMatch(com.consentry.avro.EligibilityRow::getEligible));
        if (safe && !held.waiting()) {
            // nothing it shows can be undone by a suppression the list does not show yet
            context.forward(view == null ? new Record<>(customerId, null, erasedAt.toEpochMilli())
                    : new Record<>(customerId, view, view.getPublishedAt().toEpochMilli()), ELIGIBILITY_SINK);
            return;
        }
        Instant at = send != null ? send.request().at() : view != null ? view.getPublishedAt() : erasedAt;
        // an unsubscribe published before the input is stamped before it (ArrivalClock), however late its event time
        long passAt = Math.max(at.toEpochMilli(), recordStampMs);
        held.offer(new HeldOutputs.Held(System.currentTimeMillis(), passAt, customerId, list.lookups(at), send,
                view == null ? null : StateSerdes.HELD_VIEW.serialize(null, view), erasedAt), this::publishHeld);
    }

    private void publishHeld(HeldOutputs.Held h) {
        if (h.send() != null) {
            publishDecision(h);
            return;
        }
        if (h.erasedAt() != null) {
            context.forward(new Record<>(h.customerId(), null, h.erasedAt().toEpochMilli()), ELIGIBILITY_SINK);
            return;
        }
        CustomerEligibility e = StateSerdes.HELD_VIEW.deserialize(null, h.view());
        CustomerState s = held.stale(h, suppressions, e.getPublishedAt()) ? customers.get(h.customerId()) : null;
        if (s != null && s.viewAt != null) {
            // an address it used was suppressed meanwhile: the customer's whole view as it stands now instead
            SuppressionList memo = SuppressionList.memo(suppressions);
            view.refresh(h.customerId(), s, memo, s.viewAt, RowScope.ALL);
            sweeps.index(h.customerId(), s, memo, s.viewAt, false);
            customers.put(h.customerId(), s);
            settings.suppressionWait().barrier().redecided();
            e = AvroOutputs.eligibility(h.customerId(), s.viewAt, s.published);
        }
        context.forward(new Record<>(h.customerId(), e, e.getPublishedAt().toEpochMilli()), ELIGIBILITY_SINK);
    }

    /**
     * True when one of the customer's addresses is on the suppression list: then every row is evaluated,
     * since a row kept as last evaluated may predate the entry (its re-check from the address index may
     * still be on its way from another partition).
     */
    private static boolean suppressed(CustomerState s, SuppressionList list) {
        for (String hash : s.linkedHashes) {
            if (!list.forAddress(hash).isEmpty()) {
                return true;
            }
        }
        return false;
    }

    private void erase(String customerId, CustomerState s) {
        Instant erasedAt = s.history.erasedAt;
        carts.erase(customerId, erasedAt, s.history);
        Map<String, Instant> forget = new java.util.LinkedHashMap<>();
        try (KeyValueIterator<String, SendGate.Seen> it = seen.prefixScan(customerId + '\u0000', KEYS)) {
            it.forEachRemaining(kv -> {
                if (!kv.value.at().isAfter(erasedAt)) {
                    forget.put(kv.key, kv.value.at());
                }
            });
        }
        forget.keySet().forEach(seen::delete);
        retention.onErased(customerId, s, erasedAt, forget);
        s.sent.removeIf(m -> !m.at().isAfter(erasedAt));
        s.published = new java.util.TreeMap<>();
        hold(customerId, new HeldOutputs.Recording(suppressions), null, null, erasedAt);
    }

    private void publish(String customerId, CustomerState s, HeldOutputs.Recording list, Instant at, RowScope scope) {
        Optional<CustomerEligibility> changed = view.refresh(customerId, s, list, at, scope);
        sweeps.index(customerId, s, list, s.viewAt, false);
        changed.ifPresent(e -> hold(customerId, list, null, e, null));
    }

    /** The entries, marked as made by the record being processed (of the unsubscribe topic). */
    private List<Suppression> withOrigin(List<Suppression> fresh) {
        if (fresh.isEmpty()) {
            return fresh;
        }
        Suppression.Origin origin = origin(context);
        return origin == null ? fresh : fresh.stream().map(x -> x.withOrigin(origin)).toList();
    }

    /** Partition and offset of the record being processed, null when there is none (a punctuation). */
    static Suppression.Origin origin(ProcessorContext<?, ?> context) {
        return context.recordMetadata().filter(m -> m.offset() >= 0)
                .map(m -> new Suppression.Origin(m.partition(), m.offset())).orElse(null);
    }

    private void publishSuppressions(List<Suppression> fresh) {
        for (Suppression x : fresh) {
            long ts = x.at().toEpochMilli();
            localSuppressions.put(GlobalSuppressionList.key(x), x);
            context.forward(new Record<>(GlobalSuppressionList.key(x), x, ts), SUPPRESSIONS_SINK);
            context.forward(new Record<>(x.addressHash(), new AddressNotice(AddressNotice.Op.SUPPRESSED, null, x.at()), ts),
                    ADDRESS_INDEX_SINK);
        }
    }

    /** Keeps the address index in step with the customer's current email and phone. */
    private void relink(String customerId, CustomerState s, Instant at) {
        Profile p = s.history.latestProfile();
        Set<String> now = new TreeSet<>();
        if (p.emailHash() != null) {
            now.add(p.emailHash());
        }
        if (p.phoneHash() != null) {
            now.add(p.phoneHash());
        }
        long ts = at.toEpochMilli();
        for (String h : now) {
            if (!s.linkedHashes.contains(h)) {
                context.forward(new Record<>(h, new AddressNotice(AddressNotice.Op.LINK, customerId, at), ts), ADDRESS_INDEX_SINK);
            }
        }
        for (String h : s.linkedHashes) {
            if (!now.contains(h)) {
                context.forward(new Record<>(h, new AddressNotice(AddressNotice.Op.UNLINK, customerId, at), ts), ADDRESS_INDEX_SINK);
            }
        }
        s.linkedHashes = now;
    }

    /**
     * Reminders and sweeps follow the wall clock only while no record flows (an idle cart fires even
     * if no further event arrives); while records flow, their event times fire them, so that a replay
     * of the same topics decides the same reminders at the same points. Nor does the wall clock run further
     * ahead of the newest event time than {@link WallClockFiring} allows.
     */
    private void onWallClock(long nowMs) {
        openIndexes();
        recordStampMs = Long.MIN_VALUE;
        // before its first record since start, the task's event time is the stream time Kafka Streams committed
        // (its records' newest timestamp: at or just after their event times, see ArrivalClock)
        long newest = streamTime.equals(Instant.MIN) ? context.currentStreamTimeMs() : streamTime.toEpochMilli();
        Instant until = wallClock.until(nowMs, lastRecordWallMs, newest,
                () -> settings.inputBacklog().behind(context.taskId().partition()));
        if (until != null) {
            fireDue(until);
            wallClock.reportHeld(context.taskId().toString(), nowMs, until, carts.nextDue(), newest);
        }
    }

    private void fireDue(Instant now) {
        for (CartState cart : carts.takeDue(now)) {
            remind(cart);
        }
        sweepIfDue(now);
    }

    /** Decides a due reminder as of its due moment, with the state as it is then. */
    private void remind(CartState cart) {
        Instant dueAt = cart.dueAt;
        CustomerState s = Optional.ofNullable(customers.get(cart.customerId)).orElseGet(CustomerState::new);
        String reminderId = CartReminders.reminderId(cart.customerId, cart.cartId);
        SendRequest req = new SendRequest(reminderId, cart.brand, settings.reminderChannel(), settings.reminderPurpose(),
                dueAt, null);
        HeldOutputs.Recording list = new HeldOutputs.Recording(suppressions);
        SendOutcome outcome = sendPolicy.decide(s.history, list, req, s.sent);
        if (outcome.approved() && settings.reminderPurpose() == com.consentry.policy.Purpose.MARKETING) {
            SendGate.recordSent(s, new SentMessage(reminderId, dueAt, settings.reminderChannel()));
            customers.put(cart.customerId, s);
        }
        byte[] reminder = StateSerdes.HELD_REMINDER.serialize(null,
                AvroOutputs.reminder(reminderId, cart, settings.reminderChannel(), dueAt));
        hold(cart.customerId, list, new HeldOutputs.Send(req, null, cart.cartId, false, outcome, reminder), null, null);
    }

    /**
     * Publishes a decision once the suppression list has caught up with it: as taken, or taken again if
     * the list now shows something new for an address it looked up. A repeated requestId gets the first
     * request's decision as it stands.
     */
    private void publishDecision(HeldOutputs.Held h) {
        HeldOutputs.Send d = h.send();
        SendRequest req = d.request();
        SendOutcome outcome = d.outcome();
        if (d.repeat()) {
            SendGate.Seen first = seen.get(SendGate.seenKey(h.customerId(), req.requestId()));
            outcome = first == null ? outcome : first.outcome();
        } else if (held.stale(h, suppressions, req.at())) {
            CustomerState s = Optional.ofNullable(customers.get(h.customerId())).orElseGet(CustomerState::new);
            // a customer erased since keeps the decision taken before: the facts it rested on are gone
            if (s.history.erasedAt == null || s.history.erasedAt.isBefore(req.at())) {
                outcome = gate.redecide(s, req, d.outcome(), SuppressionList.memo(suppressions));
                settings.suppressionWait().barrier().redecided();
                customers.put(h.customerId(), s);
                if (d.cartId() == null) {
                    seen.put(SendGate.seenKey(h.customerId(), req.requestId()), new SendGate.Seen(req.requestId(),
                            d.campaignId(), req.brand(), req.channel(), req.purpose(), req.at(), outcome));
                }
            }
        }
        long ts = req.at().toEpochMilli();
        context.forward(new Record<>(h.customerId(), AvroOutputs.decision(req.requestId(), d.campaignId(), h.customerId(),
                req.brand(), req.channel(), req.purpose(), req.at(), outcome, d.cartId()), ts), DECISIONS_SINK);
        if (d.reminder() != null && outcome.approved()) {
            context.forward(new Record<>(h.customerId(), StateSerdes.HELD_REMINDER.deserialize(null, d.reminder()), ts),
                    REMINDERS_SINK);
        }
    }

    /** Sweeps run at anchor + k * interval (k >= 1); a late punctuation runs the latest missed one. */
    private void sweepIfDue(Instant now) {
        long anchor = settings.sweepAnchor().toEpochMilli();
        long interval = settings.sweepInterval().toMillis();
        long elapsed = now.toEpochMilli() - anchor;
        if (elapsed < interval) {
            return;
        }
        long latest = anchor + (elapsed / interval) * interval;
        Long last = sweeps.lastSweep();
        if (last != null && last >= latest) {
            return;
        }
        sweep(Instant.ofEpochMilli(latest));
        retention.purge(Instant.ofEpochMilli(latest));
    }

    /**
     * Re-evaluates, at the sweep instant, the customers whose answers may have changed by time alone
     * since they were last evaluated, in customer order. A customer whose view did not change keeps its
     * evaluation instant, as if the sweep had not looked.
     */
    private void sweep(Instant at) {
        SuppressionList list = suppressions;
        for (String customerId : sweeps.startSweep(at.toEpochMilli())) {
            CustomerState s = customers.get(customerId);
            if (s == null) {
                continue;
            }
            s.sweepDueAt = null;
            Instant viewAt = s.viewAt;
            TreeMap<String, Answer> rows = s.published;
            HeldOutputs.Recording memo = new HeldOutputs.Recording(list);
            Optional<CustomerEligibility> e = view.refresh(customerId, s, memo, at, RowScope.ALL);
            if (e.isEmpty()) {
                // as if the sweep had not looked: a later event evaluates from the same point
                s.viewAt = viewAt;
                s.published = rows;
            }
            sweeps.index(customerId, s, memo, at.isAfter(s.viewAt) ? at : s.viewAt, e.isEmpty());
            e.ifPresent(x -> hold(customerId, memo, null, x, null));
            customers.put(customerId, s);
        }
    }
}
