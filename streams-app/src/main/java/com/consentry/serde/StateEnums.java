package com.consentry.serde;

import com.consentry.policy.Channel;
import com.consentry.policy.ConsentStatus;
import com.consentry.policy.Decision;
import com.consentry.policy.FactType;
import com.consentry.policy.OrderStatus;
import com.consentry.policy.Purpose;
import com.consentry.policy.Reason;
import com.consentry.policy.UnsubscribeSource;
import java.lang.reflect.Array;

/**
 * The domain enums and the Avro enums of the state schemas, symbol by symbol: each domain constant maps
 * to the Avro symbol of the same name (every Avro enum also has {@code UNKNOWN}, which no domain constant
 * maps to). The tables are built once, by name, so that a reordered enum cannot silently change meaning;
 * a domain constant without an Avro symbol fails when this class loads.
 */
public final class StateEnums {
    public static final Mapping<Channel, com.consentry.avro.Channel> CHANNEL =
            new Mapping<>(Channel.class, com.consentry.avro.Channel.class);
    public static final Mapping<Reason, com.consentry.avro.Reason> REASON =
            new Mapping<>(Reason.class, com.consentry.avro.Reason.class);
    public static final Mapping<FactType, com.consentry.avro.FactType> FACT_TYPE =
            new Mapping<>(FactType.class, com.consentry.avro.FactType.class);
    public static final Mapping<ConsentStatus, com.consentry.avro.ConsentStatus> CONSENT_STATUS =
            new Mapping<>(ConsentStatus.class, com.consentry.avro.ConsentStatus.class);
    public static final Mapping<OrderStatus, com.consentry.avro.OrderStatus> ORDER_STATUS =
            new Mapping<>(OrderStatus.class, com.consentry.avro.OrderStatus.class);
    public static final Mapping<UnsubscribeSource, com.consentry.avro.UnsubscribeSource> UNSUBSCRIBE_SOURCE =
            new Mapping<>(UnsubscribeSource.class, com.consentry.avro.UnsubscribeSource.class);
    public static final Mapping<Purpose, com.consentry.avro.Purpose> PURPOSE =
            new Mapping<>(Purpose.class, com.consentry.avro.Purpose.class);
    public static final Mapping<Decision, com.consentry.avro.Decision> DECISION =
            new Mapping<>(Decision.class, com.consentry.avro.Decision.class);

    private StateEnums() {
    }

    /** One domain enum and its Avro enum; {@code null} maps to {@code null} both ways. */
    public static final class Mapping<D extends Enum<D>, A extends Enum<A>> {
        private final Class<A> avroType;
        private final A[] toAvro;
        private final D[] fromAvro;

        @SuppressWarnings("unchecked")
        public Mapping(Class<D> domainType, Class<A> avroType) {
            this.avroType = avroType;
            D[] domain = domainType.getEnumConstants();
            this.toAvro = (A[]) Array.newInstance(avroType, domain.length);
            this.fromAvro = (D[]) Array.newInstance(domainType, avroType.getEnumConstants().length);
            for (D d : domain) {
                A a = Enum.valueOf(avroType, d.name());
                toAvro[d.ordinal()] = a;
                fromAvro[a.ordinal()] = d;
            }
        }

        public A avro(D value) {
            return value == null ? null : toAvro[value.ordinal()];
        }

        /** The domain constant; fails for a symbol it has none for (UNKNOWN: written by a newer release). */
        public D domain(A value) {
            if (value == null) {
                return null;
            }
            D d = fromAvro[value.ordinal()];
            if (d == null) {
                throw new IllegalStateException(avroType.getSimpleName() + " " + value
                        + " has no meaning in this release (was the value written by a newer one?)");
            }
            return d;
        }
    }
}
