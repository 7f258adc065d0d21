package com.consentry.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away certificate authority and one server certificate it signed (for 127.0.0.1 and localhost),
 * made with the JDK's {@code keytool} at test time: no private key is checked in.
 *
 * @param serverKeyStore the server's key and certificate chain (PKCS12), for the broker, registry and HTTP API
 * @param trustStore     the CA's certificate only (PKCS12), for the clients
 * @param password       the password of both stores (and of the server's key)
 */
record TestCertificates(Path serverKeyStore, Path trustStore, String password) {

    static TestCertificates generate(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        String password = UUID.randomUUID().toString();
        Path ca = dir.resolve("ca.p12");
        Path caPem = dir.resolve("ca.pem");
        Path server = dir.resolve("server.p12");
        Path csr = dir.resolve("server.csr");
        Path serverPem = dir.resolve("server.pem");
        Path trust = dir.resolve("truststore.p12");
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=consentry-test-ca", "-ext", "bc:c", "-validity", "2", "-keystore", ca, "-storetype", "PKCS12",
                "-storepass", password);
        keytool("-exportcert", "-alias", "ca", "-rfc", "-keystore", ca, "-storepass", password, "-file", caPem);
        keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=127.0.0.1", "-validity", "2", "-keystore", server, "-storetype", "PKCS12", "-storepass", password);
        keytool("-certreq", "-alias", "server", "-keystore", server, "-storepass", password, "-file", csr);
        keytool("-gencert", "-alias", "ca", "-keystore", ca, "-storepass", password, "-infile", csr, "-outfile",
                serverPem, "-rfc", "-validity", "2", "-ext", "san=ip:127.0.0.1,dns:localhost", "-ext",
                "eku=serverAuth");
        // the chain: the CA first, then the signed certificate replaces the self-signed one
        keytool("-importcert", "-noprompt", "-alias", "ca", "-keystore", server, "-storepass", password, "-file", caPem);
        keytool("-importcert", "-alias", "server", "-keystore", server, "-storepass", password, "-file", serverPem);
        keytool("-importcert", "-noprompt", "-alias", "ca", "-keystore", trust, "-storetype", "PKCS12",
                "-storepass", password, "-file", caPem);
        return new TestCertificates(server, trust, password);
    }

    private static void keytool(Object... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "keytool").toString());
        for (Object a : args) {
            command.add(a.toString());
        }
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("keytool " + args[0] + " failed: " + output);
        }
    }
}
