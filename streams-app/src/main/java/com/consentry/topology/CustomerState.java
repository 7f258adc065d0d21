package com.consentry.topology;

import com.consentry.policy.Answer;
import com.consentry.policy.CustomerHistory;
import com.consentry.policy.SentMessage;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Value of the {@link StoreNames#CUSTOMERS} store: the customer's history, what was last published
 * for them, the approved marketing messages the frequency cap counts, and the address hashes linked to
 * them in the address index. Public fields, for the JSON state serde.
 */
public final class CustomerState {
    public CustomerHistory history = new CustomerHistory();
    /** "brand NUL channel" -> the answer last published. */
    public TreeMap<String, Answer> published = new TreeMap<>();
    /** The instant the view was last evaluated at; evaluation never goes back in time. */
    public Instant viewAt;
    public List<SentMessage> sent = new ArrayList<>();
    public Set<String> linkedHashes = new TreeSet<>();
    /**
     * When an answer of this customer may next change by time alone (a consent expiring, turning of
     * age, soft opt-in lapsing, a known suppression taking effect), as held in the sweep-due index; null
     * when no such instant is known.
     */
    public Instant nextChangeAt;

    public static String rowKey(String brand, com.consentry.policy.Channel channel) {
        return brand + '\u0000' + channel.name();
    }
}
