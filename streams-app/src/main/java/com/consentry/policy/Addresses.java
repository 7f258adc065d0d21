package com.consentry.policy;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Normalises addresses (email trimmed and lower-cased; phone numbers to E.164 with libphonenumber) and
 * turns them into keyed hashes (HMAC-SHA256 with a configured secret). Only the hashes are ever kept.
 */
public final class Addresses {
    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();
    private final byte[] secret;
    /** One keyed Mac per thread: looking the algorithm up and keying it cost more than hashing an address. */
    private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(this::newMac);

    public Addresses(String secret) {
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("the suppression hashing secret must not be empty");
        }
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
    }

    /** What kind of address a string is. */
    public enum Kind { EMAIL, PHONE }

    public static Kind kindOf(String address) {
        return address.contains("@") ? Kind.EMAIL : Kind.PHONE;
    }

    /** The channels an address of this kind is suppressed for when the event names no channel. */
    public static Set<Channel> defaultChannels(Kind kind) {
        return kind == Kind.EMAIL ? Set.of(Channel.EMAIL) : Set.of(Channel.SMS, Channel.PHONE);
    }

    public static String normaliseEmail(String email) {
        return email.trim().toLowerCase(Locale.ROOT);
    }

    /**
     * E.164 form of a phone number; {@code region} (ISO country) is used for national numbers and may
     * be null, in which case only the international form parses.
     */
    public static Optional<String> normalisePhone(String phone, String region) {
        try {
            Phonenumber.PhoneNumber n = PHONES.parse(phone.trim(),
                    region == null ? "ZZ" : region.toUpperCase(Locale.ROOT));
            if (!PHONES.isPossibleNumber(n)) {
                return Optional.empty();
            }
            return Optional.of(PHONES.format(n, PhoneNumberUtil.PhoneNumberFormat.E164));
        } catch (NumberParseException e) {
            return Optional.empty();
        }
    }

    /**
     * The normalised form of an address, or empty when a phone number does not parse.
     */
    public static Optional<String> normalise(String address, String region) {
        return kindOf(address) == Kind.EMAIL ? Optional.of(normaliseEmail(address)) : normalisePhone(address, region);
    }

    /** Keyed hash of an already normalised address, as lower-case hex. */
    public String hash(String normalised) {
        // doFinal leaves the Mac ready for the next address, under the same key
        return HexFormat.of().formatHex(macs.get().doFinal(normalised.getBytes(StandardCharsets.UTF_8)));
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /**
     * Countries whose reading of a national phone number is kept (hashed) when the number arrives before
     * the customer's country, so that the country can still pick the right E.164 form later.
     */
    public static final List<String> NATIONAL_REGIONS = List.of("GB", "DE", "US", "FR", "IT", "ES", "NL", "IE",
            "AT", "CH", "BE", "SE", "DK", "AU", "CA");

    /**
     * The hashes of a national phone number as read in each of {@link #NATIONAL_REGIONS}; null for a
     * number in international form (it needs no region).
     */
    public Map<String, String> nationalPhoneHashes(String phone) {
        if (phone.trim().startsWith("+")) {
            return null;
        }
        Map<String, String> byRegion = new TreeMap<>();
        for (String region : NATIONAL_REGIONS) {
            normalisePhone(phone, region).ifPresent(e164 -> byRegion.put(region, hash(e164)));
        }
        return byRegion.isEmpty() ? null : byRegion;
    }

    /** Normalises and hashes; empty when a phone number does not parse. */
    public Optional<String> hashOf(String address, String region) {
        return normalise(address, region).map(this::hash);
    }
}
