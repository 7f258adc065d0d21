package com.consentry.dev;

import com.consentry.service.EventPublisher;
import com.consentry.simulate.LineParser;
import com.consentry.simulate.ParsedLine;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A realistic mix of retail traffic for the local stack: customers in several countries, consents
 * (with German double opt-in confirmations), unsubscribes (links, SMS STOP, address-only complaints),
 * orders, carts that are bought or abandoned, and campaign and service sends. Event times follow the
 * wall clock. Deterministic for a given seed.
 */
public final class SampleTraffic implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(SampleTraffic.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] BRANDS = {"NET-A-PORTER", "MR PORTER", "THE OUTNET"};
    private static final String[] CHANNELS = {"EMAIL", "SMS", "POST", "PHONE", "TARGETED_ADS"};
    private static final String[][] COUNTRIES = {
            {"GB", "Europe/London", "+447700900"}, {"DE", "Europe/Berlin", "+4915112345"},
            {"US", "America/New_York", "+1202555"}, {"FR", "Europe/Paris", "+33612345"},
            {"US", "America/Los_Angeles", "+1310555"}};

    private final EventPublisher publisher;
    private final LineParser parser;
    private final Clock clock;
    private final Random random;
    private final double eventsPerSecond;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong published = new AtomicLong();
    private final List<String> customers = new ArrayList<>();
    private int nextCustomer = 1;
    private int nextId = 1;

    public SampleTraffic(EventPublisher publisher, LineParser parser, Clock clock, long seed, double eventsPerSecond) {
        this.publisher = publisher;
        this.parser = parser;
        this.clock = clock;
        this.random = new Random(seed);
        this.eventsPerSecond = eventsPerSecond;
    }

    public long published() {
        return published.get();
    }

    public void stop() {
        running.set(false);
    }

    /** The customer ids generated so far (for example queries). */
    public synchronized List<String> customers() {
        return List.copyOf(customers);
    }

    @Override
    public void run() {
        long pauseMillis = Math.max(1, (long) (1000 / eventsPerSecond));
        while (running.get()) {
            try {
                for (ObjectNode line : next()) {
                    publish(line);
                }
                Thread.sleep(pauseMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.warn("sample traffic: could not publish error={}", e.toString());
            }
        }
    }

    /** The next burst of events: a new customer with their first facts, or an action of a known one. */
    synchronized List<ObjectNode> next() {
        List<ObjectNode> out = new ArrayList<>();
        Instant now = clock.instant();
        if (customers.size() < 20 || random.nextInt(10) == 0) {
            newCustomer(now, out);
            return out;
        }
        String c = customers.get(random.nextInt(customers.size()));
        String brand = BRANDS[random.nextInt(BRANDS.length)];
        int dice = random.nextInt(100);
        if (dice < 20) {
            out.add(consent(now, c, brand, CHANNELS[random.nextInt(CHANNELS.length)], "GRANTED"));
        } else if (dice < 25) {
            ObjectNode u = line("unsubscribe", now);
            u.put("customerId", c);
            u.put("brand", random.nextBoolean() ? brand : "*");
            u.put("channel", "EMAIL");
            u.put("source", "LINK");
            out.add(u);
        } else if (dice < 27) {
            ObjectNode u = line("unsubscribe", now);
            u.put("customerId", c);
            u.put("brand", brand);
            u.put("source", "SMS_STOP");
            u.put("channel", "SMS");
            out.add(u);
        } else if (dice < 28) {
            ObjectNode u = line("unsubscribe", now);
            u.put("brand", "*");
            u.put("source", "COMPLAINT");
            u.put("address", email(c));
            out.add(u);
        } else if (dice < 40) {
            ObjectNode o = line("order", now);
            o.put("orderId", "order-" + nextId++);
            o.put("customerId", c);
            o.put("brand", brand);
            o.put("status", "PLACED");
            out.add(o);
        } else if (dice < 60) {
            String cart = "cart-" + c + "-" + random.nextInt(3);
            ObjectNode k = line("cart", now);
            k.put("cartId", cart);
            k.put("customerId", c);
            k.put("brand", brand);
            k.put("action", random.nextInt(5) == 0 ? "CHECKED_OUT" : "ITEM_ADDED");
            k.put("sku", "sku-" + random.nextInt(50));
            k.put("quantity", 1 + random.nextInt(2));
            out.add(k);
        } else {
            ObjectNode s = line("send", now);
            s.put("requestId", "req-" + nextId++);
            s.put("campaignId", random.nextInt(10) == 0 ? "order-confirmation" : "autumn-sale");
            s.put("customerId", c);
            s.put("brand", brand);
            s.put("channel", random.nextInt(4) == 0 ? "SMS" : "EMAIL");
            s.put("purpose", s.get("campaignId").asText().equals("order-confirmation") ? "SERVICE" : "MARKETING");
            out.add(s);
        }
        return out;
    }

    private void newCustomer(Instant now, List<ObjectNode> out) {
        String id = String.format("cust-%04d", nextCustomer++);
        customers.add(id);
        String[] country = COUNTRIES[random.nextInt(COUNTRIES.length)];
        ObjectNode c = line("customer", now);
        c.put("customerId", id);
        c.put("eventType", "UPSERT");
        c.put("country", country[0]);
        c.put("timezone", country[1]);
        c.put("email", email(id));
        c.put("phone", country[2] + String.format("%03d", random.nextInt(1000)));
        c.put("birthDate", (1950 + random.nextInt(60)) + "-0" + (1 + random.nextInt(9)) + "-1" + random.nextInt(9));
        out.add(c);
        String brand = BRANDS[random.nextInt(BRANDS.length)];
        out.add(consent(now, id, brand, "EMAIL", "GRANTED"));
        if (country[0].equals("DE") && random.nextBoolean()) {
            out.add(consent(now.plusSeconds(1), id, brand, "EMAIL", "CONFIRMED"));
        }
        if (random.nextBoolean()) {
            out.add(consent(now, id, brand, "SMS", "GRANTED"));
        }
    }

    private ObjectNode consent(Instant at, String customerId, String brand, String channel, String status) {
        ObjectNode n = line("consent", at);
        n.put("customerId", customerId);
        n.put("brand", brand);
        n.put("channel", channel);
        n.put("status", status);
        n.put("source", status.equals("CONFIRMED") ? "DOUBLE_OPT_IN_LINK" : "CHECKOUT");
        return n;
    }

    private static String email(String customerId) {
        return customerId + "@example.com";
    }

    private ObjectNode line(String type, Instant at) {
        ObjectNode n = JSON.createObjectNode();
        n.put("type", type);
        n.put("at", at.toString());
        n.put("eventId", "sample-" + nextId++);
        return n;
    }

    private void publish(ObjectNode line) {
        try {
            if (parser.parse(line.toString(), 0) instanceof ParsedLine.Event e) {
                publisher.publish(e);
                published.incrementAndGet();
            }
        } catch (LineParser.BadLineException e) {
            throw new IllegalStateException("sample traffic produced a bad line: " + e.getMessage() + ": " + line);
        }
    }
}
