package com.consentry.topology;

import com.consentry.avro.CustomerEvent;
import com.consentry.avro.SendRequest;
import com.consentry.avro.UnsubscribeEvent;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps email addresses and phone numbers out of a dead letter (its key, value and message), so that the
 * dead-letter topic and the log carry no personal data. Each character of an address is replaced by
 * {@code #}, byte for byte, so that everything else stays where it was:
 * <ul>
 *   <li>a value that decoded: the record's address fields (a customer's {@code email} and {@code phone}, an
 *       unsubscribe's or a send's {@code address}) wherever their bytes occur; the value still decodes, with
 *       {@code ###...} in those fields;</li>
 *   <li>a value that did not decode: also anything that looks like an email address or a phone number
 *       (seven digits or more, with an optional leading {@code +} and single spaces, dots, dashes or
 *       parentheses between them);</li>
 *   <li>the key: the record's address fields, and anything that looks like an email address or a phone
 *       number in international form (a leading {@code +}), the key of an address-only unsubscribe; a
 *       customerId of digits is kept;</li>
 *   <li>the message: the record's address fields and anything that looks like an email address.</li>
 * </ul>
 */
final class DeadLetterRedaction {
    private static final byte MASK = '#';
    private static final int MIN_ADDRESS = 5;
    private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+\\-]+@[A-Za-z0-9\\-]+(?:\\.[A-Za-z0-9\\-]+)*");
    private static final Pattern PHONE = Pattern.compile("\\+?\\d(?:[ ().\\-]?\\d){6,}");
    private static final Pattern INTERNATIONAL_PHONE = Pattern.compile("\\+\\d(?:[ ().\\-]?\\d){6,}");
    private final List<String> addresses;

    private DeadLetterRedaction(List<String> addresses) {
        this.addresses = addresses;
    }

    /** For a record whose value decoded to {@code avro}, or null when it did not decode. */
    static DeadLetterRedaction of(Object avro) {
        List<String> found = new ArrayList<>();
        if (avro instanceof CustomerEvent e) {
            add(found, e.getEmail());
            add(found, e.getPhone());
        } else if (avro instanceof UnsubscribeEvent e) {
            add(found, e.getAddress());
        } else if (avro instanceof SendRequest e) {
            add(found, e.getAddress());
        }
        return new DeadLetterRedaction(found);
    }

    private static void add(List<String> found, String address) {
        // shorter strings are no address, and masking them would hit the encoding's own bytes
        if (address != null && address.strip().length() >= MIN_ADDRESS) {
            found.add(address);
        }
    }

    /** The value, with its addresses masked; a value that did not decode is masked by pattern too. */
    byte[] value(byte[] value, boolean decoded) {
        if (value == null) {
            return null;
        }
        byte[] out = maskKnown(value);
        return decoded ? out : maskPatterns(out, PHONE);
    }

    byte[] key(byte[] key) {
        return key == null ? null : maskPatterns(maskKnown(key), INTERNATIONAL_PHONE);
    }

    String message(String message) {
        byte[] masked = maskPatterns(maskKnown(message.getBytes(StandardCharsets.UTF_8)), null);
        return new String(masked, StandardCharsets.UTF_8);
    }

    private byte[] maskKnown(byte[] bytes) {
        byte[] out = bytes.clone();
        for (String a : addresses) {
            byte[] needle = a.getBytes(StandardCharsets.UTF_8);
            for (int i = indexOf(out, needle, 0); i >= 0; i = indexOf(out, needle, i + needle.length)) {
                Arrays.fill(out, i, i + needle.length, MASK);
            }
        }
        return out;
    }

    /**
     * Masks emails and {@code phones} (when not null), over the bytes read as ISO-8859-1 (one character per
     * byte, so that positions match).
     */
    private static byte[] maskPatterns(byte[] bytes, Pattern phones) {
        byte[] out = bytes.clone();
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        mask(out, EMAIL.matcher(text));
        if (phones != null) {
            mask(out, phones.matcher(text));
        }
        return out;
    }

    private static void mask(byte[] out, Matcher m) {
        while (m.find()) {
            Arrays.fill(out, m.start(), m.end(), MASK);
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
