package com.consentry.topology;

import java.util.List;
import java.util.Map;

/**
 * The topic names the topology reads and writes (defaults from {@code interfaces.md}, each
 * configurable with {@code consentry.topic.<default name>=<name>}).
 */
public record Topics(String customerEvents, String consentEvents, String unsubscribeEvents, String orderEvents,
                     String cartEvents, String sendRequests, String customerEligibility, String sendDecisions,
                     String cartReminders, String deadLetter, String suppressions, String addressIndex,
                     String customerRechecks) {

    public static Topics defaults() {
        return from(Map.of());
    }

    /** Default names with the {@code consentry.topic.*} overrides of {@code config} applied. */
    public static Topics from(Map<String, String> config) {
        java.util.function.Function<String, String> n = d -> config.getOrDefault("consentry.topic." + d, d);
        return new Topics(n.apply("customer-events"), n.apply("consent-events"), n.apply("unsubscribe-events"),
                n.apply("order-events"), n.apply("cart-events"), n.apply("send-requests"),
                n.apply("customer-eligibility"), n.apply("send-decisions"), n.apply("cart-reminders"),
                n.apply("consentry-dead-letter"), n.apply("consentry-suppressions"),
                n.apply("consentry-address-index"), n.apply("consentry-customer-rechecks"));
    }

    public List<String> inputs() {
        return List.of(customerEvents, consentEvents, unsubscribeEvents, orderEvents, cartEvents, sendRequests);
    }

    public List<String> outputs() {
        return List.of(customerEligibility, sendDecisions, cartReminders, deadLetter);
    }

    /** Topics the service owns besides its outputs: the suppression list and the address index hops. */
    public List<String> internal() {
        return List.of(suppressions, addressIndex, customerRechecks);
    }

    /** Topics that must be compacted: the published view and the suppression list. */
    public List<String> compacted() {
        return List.of(customerEligibility, suppressions);
    }
}
