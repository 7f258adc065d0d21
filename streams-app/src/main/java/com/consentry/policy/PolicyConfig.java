package com.consentry.policy;

import java.time.Duration;
import java.time.LocalTime;
import java.time.Period;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every default of {@code eligibility-policy.md}, overridable per jurisdiction and channel.
 *
 * <p>Override keys (in the service's configuration file or environment), all optional:
 * <pre>
 * policy.brands=NET-A-PORTER,MR PORTER,THE OUTNET      group brands a '*' fact expands to
 * policy.soft-opt-in.months=24
 * policy.frequency-cap.window=PT24H
 * policy.country.FR=FR                                 country -> jurisdiction (unknown: DEFAULT)
 * policy.jurisdiction.FR.base=DEFAULT                  a new jurisdiction starts as a copy of another
 * policy.jurisdiction.DE.timezone=Europe/Berlin
 * policy.jurisdiction.DE.minimum-age=16
 * policy.jurisdiction.DE.channel.SMS.model=DOUBLE_OPT_IN   OPT_IN | DOUBLE_OPT_IN | OPT_OUT
 * policy.jurisdiction.DE.channel.SMS.soft-opt-in=false
 * policy.jurisdiction.DE.channel.SMS.quiet-hours=21:00-08:00   or 'none'
 * policy.jurisdiction.DE.channel.SMS.cap=1                      negative or 'none' = no cap
 * </pre>
 */
public record PolicyConfig(Map<String, String> countryJurisdiction, Map<String, JurisdictionRules> jurisdictions,
                           Period softOptInPeriod, Duration capWindow, List<String> groupBrands) {

    public static final String DEFAULT = "DEFAULT";
    public static final List<String> DEFAULT_BRANDS = List.of("NET-A-PORTER", "MR PORTER", "THE OUTNET");

    public PolicyConfig {
        countryJurisdiction = Map.copyOf(countryJurisdiction);
        jurisdictions = Map.copyOf(jurisdictions);
        groupBrands = List.copyOf(groupBrands);
        if (!jurisdictions.containsKey(DEFAULT)) {
            throw new IllegalArgumentException("policy: jurisdiction DEFAULT must exist");
        }
    }

    /** The rules for a customer's country; an unknown or absent country uses DEFAULT. */
    public JurisdictionRules rulesFor(String country) {
        if (country == null) {
            return jurisdictions.get(DEFAULT);
        }
        String j = countryJurisdiction.getOrDefault(country.toUpperCase(Locale.ROOT), DEFAULT);
        return jurisdictions.getOrDefault(j, jurisdictions.get(DEFAULT));
    }

    /** The jurisdiction table of the policy spec, with no overrides. */
    public static PolicyConfig defaults() {
        return fromProperties(Map.of());
    }

    private static Map<String, JurisdictionRules> defaultJurisdictions() {
        LocalTime nine = LocalTime.of(21, 0);
        LocalTime eight = LocalTime.of(8, 0);
        Map<Channel, ChannelRule> base = new EnumMap<>(Channel.class);
        base.put(Channel.EMAIL, new ChannelRule(ContactModel.OPT_IN, true, null, null, 2));
        base.put(Channel.SMS, new ChannelRule(ContactModel.OPT_IN, true, nine, eight, 1));
        base.put(Channel.PHONE, new ChannelRule(ContactModel.OPT_IN, false, nine, eight, 1));
        base.put(Channel.POST, new ChannelRule(ContactModel.OPT_OUT, false, null, null, -1));
        base.put(Channel.TARGETED_ADS, new ChannelRule(ContactModel.OPT_IN, false, null, null, -1));
        JurisdictionRules dflt = new JurisdictionRules(DEFAULT, ZoneOffset.UTC, 16, base);
        JurisdictionRules de = dflt.named("DE").withTimezone(ZoneId.of("Europe/Berlin"))
                .withChannel(Channel.EMAIL, base.get(Channel.EMAIL).withModel(ContactModel.DOUBLE_OPT_IN))
                .withChannel(Channel.SMS, base.get(Channel.SMS).withModel(ContactModel.DOUBLE_OPT_IN).withSoftOptIn(false));
        JurisdictionRules us = dflt.named("US").withTimezone(ZoneId.of("America/New_York"))
                .withChannel(Channel.EMAIL, base.get(Channel.EMAIL).withModel(ContactModel.OPT_OUT).withSoftOptIn(false))
                .withChannel(Channel.SMS, base.get(Channel.SMS).withSoftOptIn(false))
                .withChannel(Channel.TARGETED_ADS, base.get(Channel.TARGETED_ADS).withModel(ContactModel.OPT_OUT));
        Map<String, JurisdictionRules> all = new LinkedHashMap<>();
        all.put(DEFAULT, dflt);
        all.put("DE", de);
        all.put("US", us);
        return all;
    }

    /**
     * The defaults with the {@code policy.*} overrides of {@code props} applied (other keys are ignored).
     *
     * @throws IllegalArgumentException naming the key of a value that does not parse or is out of range
     *     (a negative month count or age, a window that is not positive, a soft-opt-in other than true or
     *     false, a blank brand, a country mapped to no jurisdiction), or of a key not listed above
     */
    public static PolicyConfig fromProperties(Map<String, String> props) {
        Map<String, JurisdictionRules> jurisdictions = defaultJurisdictions();
        Map<String, String> countries = new TreeMap<>(Map.of("DE", "DE", "US", "US"));
        Period softOptIn = Period.ofMonths(24);
        Duration capWindow = Duration.ofHours(24);
        List<String> brands = DEFAULT_BRANDS;
        Map<String, String> countryKeys = new TreeMap<>();
        Map<String, String> sorted = new TreeMap<>(props);
        // bases first, so that a new jurisdiction exists before its own overrides apply
        for (Map.Entry<String, String> e : sorted.entrySet()) {
            String[] k = e.getKey().split("\\.");
            if (k.length == 4 && k[0].equals("policy") && k[1].equals("jurisdiction") && k[3].equals("base")) {
                JurisdictionRules base = jurisdictions.get(e.getValue().trim());
                if (base == null) {
                    throw bad(e.getKey(), e.getValue(), "no such jurisdiction");
                }
                jurisdictions.put(k[2], base.named(k[2]));
            }
        }
        for (Map.Entry<String, String> e : sorted.entrySet()) {
            String key = e.getKey();
            String value = e.getValue().trim();
            if (!key.startsWith("policy.")) {
                continue;
            }
            String[] k = key.split("\\.");
            try {
                switch (key.substring("policy.".length())) {
                    case "brands" -> brands = brands(value);
                    case "soft-opt-in.months" -> softOptIn = Period.ofMonths(atLeastZero(Integer.parseInt(value)));
                    case "frequency-cap.window" -> capWindow = positive(Duration.parse(value));
                    default -> {
                        if (k.length == 3 && k[1].equals("country")) {
                            countries.put(k[2].toUpperCase(Locale.ROOT), value);
                            countryKeys.put(k[2].toUpperCase(Locale.ROOT), key);
                        } else if (k.length > 3 && k[1].equals("jurisdiction")) {
                            String name = k[2];
                            JurisdictionRules j = jurisdictions.get(name);
                            if (j == null) {
                                j = jurisdictions.get(DEFAULT).named(name);
                            }
                            jurisdictions.put(name, applyJurisdiction(j, k, value));
                        } else {
                            throw new IllegalArgumentException("unknown policy key");
                        }
                    }
                }
            } catch (RuntimeException ex) {
                throw bad(key, value, ex.getMessage());
            }
        }
        // after every key, so that a country may name a jurisdiction that only its own overrides create
        for (Map.Entry<String, String> e : countryKeys.entrySet()) {
            if (!jurisdictions.containsKey(countries.get(e.getKey()))) {
                throw bad(e.getValue(), countries.get(e.getKey()), "no such jurisdiction");
            }
        }
        return new PolicyConfig(countries, jurisdictions, softOptIn, capWindow, brands);
    }

    private static List<String> brands(String value) {
        List<String> brands = List.of(value.split("\\s*,\\s*"));
        if (brands.isEmpty() || brands.stream().anyMatch(String::isBlank)) {
            throw new IllegalArgumentException("a comma-separated list of non-blank brands is needed");
        }
        return brands;
    }

    private static int atLeastZero(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("must not be negative");
        }
        return n;
    }

    private static Duration positive(Duration d) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("must be positive");
        }
        return d;
    }

    private static boolean strictBoolean(String value) {
        if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(value);
        }
        throw new IllegalArgumentException("must be true or false");
    }

    private static JurisdictionRules applyJurisdiction(JurisdictionRules j, String[] k, String value) {
        if (k.length == 4) {
            return switch (k[3]) {
                case "timezone" -> j.withTimezone(ZoneId.of(value));
                case "minimum-age" -> j.withMinimumAge(atLeastZero(Integer.parseInt(value)));
                case "base" -> j;
                default -> throw new IllegalArgumentException("unknown jurisdiction setting");
            };
        }
        if (k.length == 6 && k[3].equals("channel")) {
            Channel ch = Channel.valueOf(k[4]);
            ChannelRule r = j.channel(ch);
            ChannelRule changed = switch (k[5]) {
                case "model" -> r.withModel(ContactModel.valueOf(value));
                case "soft-opt-in" -> r.withSoftOptIn(strictBoolean(value));
                case "quiet-hours" -> {
                    if (value.equalsIgnoreCase("none")) {
                        yield r.withQuietHours(null, null);
                    }
                    String[] span = value.split("-");
                    yield r.withQuietHours(LocalTime.parse(span[0]), LocalTime.parse(span[1]));
                }
                case "cap" -> r.withCap(value.equalsIgnoreCase("none") ? -1 : Integer.parseInt(value));
                default -> throw new IllegalArgumentException("unknown channel setting");
            };
            return j.withChannel(ch, changed);
        }
        throw new IllegalArgumentException("unknown jurisdiction key");
    }

    private static IllegalArgumentException bad(String key, String value, String why) {
        return new IllegalArgumentException("policy setting " + key + "=" + value + ": " + why);
    }
}
