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

    public static AvroSerdes using(SchemaRegistry registry) {
        return new AvroSerdes(new AvroSerde<>(registry, CustomerEvent.class),
                new AvroSerde<>(registry, ConsentEvent.class), new AvroSerde<>(registry, UnsubscribeEvent.class),
                new AvroSerde<>(registry, OrderEvent.class), new AvroSerde<>(registry, CartEvent.class),
                new AvroSerde<>(registry, SendRequest.class), new AvroSerde<>(registry, CustomerEligibility.class),
                new AvroSerde<>(registry, SendDecision.class), new AvroSerde<>(registry, CartReminder.class),
                new AvroSerde<>(registry, DeadLetter.class));
    }
}
