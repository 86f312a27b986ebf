// A Java TLS client that checks revocation the way a locked-down Java service does, for the
// revocation tests: `java RevocationClient.java HOST PORT ROOT_PEM|--stock` (single-file source
// launch, no build step). It connects to 127.0.0.1:PORT but speaks to HOST (SNI and host-name check),
// so no DNS or hosts file is needed, trusts only the lab root in ROOT_PEM, and requires a
// revocation answer for the server's certificate from its CRL distribution point.
//
// Run it with -Dcom.sun.net.ssl.checkRevocation=true -Dcom.sun.security.enableCRLDP=true: the
// second is what lets Java download a CRL named in the certificate at all. A CRL fetch goes
// through -Dhttp.proxyHost/-Dhttp.proxyPort when given, like any URLConnection.
//
// With --stock instead of ROOT_PEM it adds nothing of its own: the JDK's default SSLContext, whose
// trust store is -Djavax.net.ssl.trustStore and whose revocation checking is exactly what the
// system properties turn on (the whole chain, CRLs only unless ocsp.enable is set).
//
// Prints "ACCEPTED <status line>" and exits 0, or "FAILED <exception>: <message>" for the
// exception and each of its causes and exits 1.

import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXRevocationChecker;
import java.security.cert.X509CertSelector;
import java.util.EnumSet;
import javax.net.ssl.CertPathTrustManagerParameters;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

public class RevocationClient {
    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: java RevocationClient.java HOST PORT ROOT_PEM|--stock");
            System.exit(2);
        }
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        try {
            SSLContext context = args[2].equals("--stock") ? SSLContext.getDefault() : trustOnlyRootWithRevocation(args[2]);
            System.out.println("ACCEPTED " + fetch(host, port, context));
        } catch (Exception e) {
            for (Throwable t = e; t != null; t = t.getCause())
                System.out.println("FAILED " + t.getClass().getName() + ": " + t.getMessage());
            System.exit(1);
        }
    }

    /// An SSLContext whose trust manager builds paths to the lab root alone and checks the
    /// leaf's revocation from CRLs only: no OCSP, no soft fail, so an unreachable CRL fails.
    static SSLContext trustOnlyRootWithRevocation(String rootPem) throws Exception {
        KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
        anchors.load(null, null);
        try (InputStream in = new FileInputStream(rootPem)) {
            anchors.setCertificateEntry("lab-root", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        PKIXBuilderParameters params = new PKIXBuilderParameters(anchors, new X509CertSelector());
        PKIXRevocationChecker checker = (PKIXRevocationChecker) CertPathBuilder.getInstance("PKIX").getRevocationChecker();
        checker.setOptions(EnumSet.of(PKIXRevocationChecker.Option.ONLY_END_ENTITY, PKIXRevocationChecker.Option.PREFER_CRLS,
                                      PKIXRevocationChecker.Option.NO_FALLBACK));
        params.addCertPathChecker(checker);
        params.setRevocationEnabled(true);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(new CertPathTrustManagerParameters(params));
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    /// Connects to 127.0.0.1:port, then layers TLS on it under `host`'s name: SNI and the
    /// endpoint identification both use that name, and nothing is looked up in DNS.
    static String fetch(String host, int port, SSLContext context) throws Exception {
        Socket plain = new Socket();
        plain.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        plain.setSoTimeout(30_000);
        try (SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain, host, port, true)) {
            SSLParameters parameters = tls.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            tls.setSSLParameters(parameters);
            tls.startHandshake();
            OutputStream out = tls.getOutputStream();
            out.write(("GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(tls.getInputStream(), StandardCharsets.US_ASCII));
            return in.readLine();
        }
    }
}
