// The simplest Java HTTPS client, as a service written against the JDK would be: one GET with
// HttpsURLConnection and the JVM's defaults. `java HttpsGet.java URL` (single-file source launch,
// no build step); give -Dhttps.proxyHost/-Dhttps.proxyPort to go through tlsfault's proxy.
//
// Prints "STATUS <code>" and exits 0, or "FAILED <exception>: <message>" for the exception and
// each of its causes and exits 1.

import java.net.URL;
import javax.net.ssl.HttpsURLConnection;

public class HttpsGet {
    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: java HttpsGet.java URL");
            System.exit(2);
        }
        try {
            HttpsURLConnection connection = (HttpsURLConnection) new URL(args[0]).openConnection();
            connection.setConnectTimeout(10000);
            connection.setReadTimeout(10000);
            System.out.println("STATUS " + connection.getResponseCode());
        } catch (Exception e) {
            for (Throwable t = e; t != null; t = t.getCause())
                System.out.println("FAILED " + t.getClass().getName() + ": " + t.getMessage());
            System.exit(1);
        }
    }
}
