package com.consentry.topology;

import com.consentry.policy.Channel;
import com.consentry.policy.Purpose;
import com.consentry.policy.SendOutcome;

import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Everything the customer's partition holds about one customer, read from the stores as they are (for a
 * subject access export): the {@link StoreNames#CUSTOMERS} value, their carts ({@link StoreNames#CARTS})
 * and the send requests remembered for them ({@link StoreNames#SEND_REQUESTS}). The stores' keys start
 * with the customerId and a NUL, so the carts and requests are one prefix scan each.
 *
 * @param customer null for a customer nobody has heard of
 */
public record CustomerHoldings(CustomerState customer, List<CartState> carts, List<Request> requests) {
    private static final StringSerializer KEYS = new StringSerializer();

    /** A send request as remembered: its first decision, given again to a repeat of its requestId. */
    public record Request(String requestId, String campaignId, String brand, Channel channel, Purpose purpose,
                          Instant at, SendOutcome outcome) {
    }

    /** The key-value stores of one partition, by name. */
    @FunctionalInterface
    public interface Stores {
        <V> ReadOnlyKeyValueStore<String, V> store(String name);
    }

    public static CustomerHoldings read(String customerId, Stores stores) {
        CustomerState customer = stores.<CustomerState>store(StoreNames.CUSTOMERS).get(customerId);
        List<CartState> carts = new ArrayList<>();
        try (KeyValueIterator<String, CartState> it = stores.<CartState>store(StoreNames.CARTS)
                .prefixScan(customerId + '\u0000', KEYS)) {
            it.forEachRemaining(kv -> carts.add(kv.value));
        }
        carts.sort(Comparator.comparing(c -> c.cartId));
        List<Request> requests = new ArrayList<>();
        try (KeyValueIterator<String, SendGate.Seen> it = stores.<SendGate.Seen>store(StoreNames.SEND_REQUESTS)
                .prefixScan(customerId + '\u0000', KEYS)) {
            it.forEachRemaining(kv -> {
                SendGate.Seen s = kv.value;
                requests.add(new Request(s.requestId(), s.campaignId(), s.brand(), s.channel(), s.purpose(), s.at(),
                        s.outcome()));
            });
        }
        requests.sort(Comparator.comparing(Request::at).thenComparing(Request::requestId));
        return new CustomerHoldings(customer, List.copyOf(carts), List.copyOf(requests));
    }
}
