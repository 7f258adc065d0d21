package com.consentry.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Optional;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A key or trust store named by three settings, {@code <prefix>.location}, {@code <prefix>.password} and
 * {@code <prefix>.type} (default {@code PKCS12}; {@code JKS} also works). The password never appears in
 * a message.
 */
public record TlsStore(String setting, Path location, String password, String type) {

    /** The store {@code <prefix>.*} configures, or empty when {@code <prefix>.location} is not set. */
    public static Optional<TlsStore> from(AppConfig config, String prefix) {
        String location = optional(config, prefix + ".location");
        if (location == null) {
            return Optional.empty();
        }
        String type = optional(config, prefix + ".type");
        return Optional.of(new TlsStore(prefix, Path.of(location), optional(config, prefix + ".password"),
                type == null ? "PKCS12" : type));
    }

    /** Reads the store; an unreadable file or a wrong password is named by setting and file only. */
    public KeyStore load() {
        if (!Files.isReadable(location)) {
            throw new IllegalArgumentException("setting " + setting + ".location=" + location
                    + ": the file does not exist or is not readable");
        }
        try (InputStream in = Files.newInputStream(location)) {
            KeyStore store = KeyStore.getInstance(type);
            store.load(in, passwordChars());
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("setting " + setting + ".location=" + location + " (type " + type
                    + ") cannot be read with " + setting + ".password: " + e.getClass().getSimpleName(), e);
        }
    }

    /** A TLS context that trusts the certificates of this store (and only those). */
    public SSLContext trustingContext() {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(load());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("setting " + setting + ".location=" + location
                    + " is not a usable trust store: " + e.getClass().getSimpleName(), e);
        }
    }

    public char[] passwordChars() {
        return password == null ? new char[0] : password.toCharArray();
    }

    /** Without the password. */
    @Override
    public String toString() {
        return "TlsStore[" + setting + ", " + location + ", " + type + "]";
    }

    private static String optional(AppConfig config, String key) {
        String v = config.all().get(key);
        return v == null || v.isBlank() ? null : v.trim();
    }
}
