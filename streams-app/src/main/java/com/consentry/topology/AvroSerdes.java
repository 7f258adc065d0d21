package com.consentry.topology;

import com.consentry.avro.CartEvent;
import com.consentry.avro.CartReminder;
import com.consentry.avro.ConsentEvent;
import com.consentry.avro.CustomerEligibility;
import com.consentry.avro.CustomerEvent;
import com.consentry.avro.DeadLetter;
import com.consentry.avro.OrderEvent;
import com.consentry.avro.SendDecision;
import com.consentry.avro.SendRequest;
import com.consentry.avro.UnsubscribeEvent;
import com.consentry.serde.AvroSerde;
import com.consentry.serde.SchemaRegistry;

/** One Avro serde per topic value type, all through the same schema registry. */
public record AvroSerdes(AvroSerde<CustomerEvent> customerEvent, AvroSerde<ConsentEvent> consentEvent,
                         AvroSerde<UnsubscribeEvent> unsubscribeEvent, AvroSerde<OrderEvent> orderEvent,
                         AvroSerde<CartEvent> cartEvent, AvroSerde<SendRequest> sendRequest,
                         AvroSerde<CustomerEligibility> eligibility, AvroSerde<SendDecision> decision,
                         AvroSerde<CartReminder> reminder, AvroSerde<DeadLetter> deadLetter) {

    /** The value serializer of an input topic. */
    @SuppressWarnings("unchecked")
    public org.apache.kafka.common.serialization.Serializer<org.apache.avro.specific.SpecificRecord> inputSerializer(
            Topics topics, String topic) {
        org.apache.kafka.common.serialization.Serde<?> serde;
        if (topic.equals(topics.customerEvents())) {
            serde = customerEvent;
        } else if (topic.equals(topics.consentEvents())) {
            serde = consentEvent;
        } else if (topic.equals(topics.unsubscribeEvents())) {
            serde = unsubscribeEvent;
        } else if (topic.equals(topics.orderEvents())) {
            serde = orderEvent;
        } else if (topic.equals(topics.cartEvents())) {
            serde = cartEvent;
        } else if (topic.equals(topics.sendRequests())) {
            serde = sendRequest;
        } else {
            throw new IllegalArgumentException("not an input topic: " + topic);
        }
        return (org.apache.kafka.common.serialization.Serializer<org.apache.avro.specific.SpecificRecord>) serde.serializer();
    }

    public static AvroSerdes using(SchemaRegistry registry) {
        return new AvroSerdes(new AvroSerde<>(registry, CustomerEvent.class),
                new AvroSerde<>(registry, ConsentEvent.class), new AvroSerde<>(registry, UnsubscribeEvent.class),
                new AvroSerde<>(registry, OrderEvent.class), new AvroSerde<>(registry, CartEvent.class),
                new AvroSerde<>(registry, SendRequest.class), new AvroSerde<>(registry, CustomerEligibility.class),
                new AvroSerde<>(registry, SendDecision.class), new AvroSerde<>(registry, CartReminder.class),
                new AvroSerde<>(registry, DeadLetter.class));
    }
}
