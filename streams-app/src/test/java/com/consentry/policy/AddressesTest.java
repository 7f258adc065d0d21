package com.consentry.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Address normalisation (email; phone to E.164 with libphonenumber) and keyed hashing. */
class AddressesTest {

    private final Addresses addresses = new Addresses("secret-one");

    @ParameterizedTest
    @ValueSource(strings = {"jane.doe@example.com", "  Jane.Doe@Example.COM ", "\tJANE.DOE@EXAMPLE.COM\n"})
    void emailIsTrimmedAndLowerCased(String written) {
        assertThat(Addresses.normaliseEmail(written)).isEqualTo("jane.doe@example.com");
        assertThat(Addresses.normalise(written, "DE")).contains("jane.doe@example.com");
        assertThat(addresses.hashOf(written, null)).contains(addresses.hash("jane.doe@example.com"));
    }

    @ParameterizedTest(name = "{0} in {1} -> {2}")
    @CsvSource({
            "020 7946 0018, GB, +442079460018",
            "07700 900123, GB, +447700900123",
            "030 123456789, DE, +4930123456789",
            "(212) 555-0123, US, +12125550123",
            "212.555.0123, us, +12125550123"})
    void nationalNumberWithARegionBecomesE164(String written, String region, String e164) {
        assertThat(Addresses.normalisePhone(written, region)).contains(e164);
    }

    @Test
    void aNationalPhoneIsHashedAsEachCommonCountryWouldReadItAndAnInternationalOneNeedsNoCountry() {
        java.util.Map<String, String> byRegion = addresses.nationalPhoneHashes(" 07700 900444 ");
        assertThat(byRegion).containsEntry("GB", addresses.hash("+447700900444"))
                .containsEntry("DE", addresses.hash("+497700900444"))
                .containsOnlyKeys(byRegion.keySet().stream().filter(Addresses.NATIONAL_REGIONS::contains).toList());
        assertThat(addresses.nationalPhoneHashes("+44 7700 900444")).isNull();
        assertThat(addresses.nationalPhoneHashes("not a number")).isNull();
    }

    @Test
    void theSameNumberWrittenDifferentlyHashesEqual() {
        Set<Optional<String>> hashes = java.util.stream.Stream.of(
                addresses.hashOf("+44 7700 900123", null),
                addresses.hashOf("+447700900123", "US"),
                addresses.hashOf("07700 900123", "GB"),
                addresses.hashOf("(07700) 900-123", "GB"),
                addresses.hashOf("0044 7700 900123", "GB"),
                addresses.hashOf(" +44 (0)7700 900 123 ", null)).collect(java.util.stream.Collectors.toSet());
        assertThat(hashes).hasSize(1);
        assertThat(hashes.iterator().next()).contains(addresses.hash("+447700900123"));
        // and a different number does not
        assertThat(addresses.hashOf("07700 900124", "GB")).isNotEqualTo(addresses.hashOf("07700 900123", "GB"));
    }

    @Test
    void theRegionMattersForANationalNumber() {
        assertThat(Addresses.normalisePhone("0201234567", "DE")).isNotEqualTo(Addresses.normalisePhone("0201234567", "GB"));
        assertThat(Addresses.normalisePhone("0201234567", "DE")).hasValueSatisfying(v -> assertThat(v).startsWith("+49"));
    }

    @Test
    void aDifferentSecretHashesDifferently() {
        Addresses other = new Addresses("secret-two");
        assertThat(other.hash("+447700900123")).isNotEqualTo(addresses.hash("+447700900123"));
        assertThat(other.hash("jane@example.com")).isNotEqualTo(addresses.hash("jane@example.com"));
        // but the same secret is stable across instances
        assertThat(new Addresses("secret-one").hash("jane@example.com")).isEqualTo(addresses.hash("jane@example.com"));
    }

    @Test
    void theHashIsKeyedAndHidesTheAddress() {
        String h = addresses.hash("jane@example.com");
        assertThat(h).matches("[0-9a-f]{64}").doesNotContain("jane");
        // not a plain, unkeyed SHA-256 of the address
        assertThat(h).isNotEqualTo(sha256("jane@example.com"));
        assertThat(addresses.hash("jane@example.com")).isNotEqualTo(addresses.hash("jane@example.org"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"07700 900123", "020 7946 0018", "(212) 555-0123"})
    void aNationalNumberWithoutARegionDoesNotNormalise(String national) {
        assertThat(Addresses.normalisePhone(national, null)).isEmpty();
        assertThat(addresses.hashOf(national, null)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"+44 7700 900123", "+1 212 555 0123", "+49 30 123456789"})
    void anInternationalNumberNeedsNoRegion(String international) {
        assertThat(Addresses.normalisePhone(international, null)).hasValueSatisfying(v -> assertThat(v).matches("\\+[0-9]{8,15}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"not a number", "+44", "12", ""})
    void garbageDoesNotNormalise(String garbage) {
        assertThat(Addresses.normalisePhone(garbage, "GB")).isEmpty();
    }

    @Test
    void kindAndDefaultChannels() {
        assertThat(Addresses.kindOf("a@b.c")).isEqualTo(Addresses.Kind.EMAIL);
        assertThat(Addresses.kindOf("+447700900123")).isEqualTo(Addresses.Kind.PHONE);
        assertThat(Addresses.defaultChannels(Addresses.Kind.EMAIL)).containsExactly(Channel.EMAIL);
        assertThat(Addresses.defaultChannels(Addresses.Kind.PHONE)).containsExactlyInAnyOrder(Channel.SMS, Channel.PHONE);
    }

    @Test
    void anEmptySecretIsRefused() {
        assertThatThrownBy(() -> new Addresses("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Addresses(null)).isInstanceOf(IllegalArgumentException.class);
    }

    private static String sha256(String s) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
