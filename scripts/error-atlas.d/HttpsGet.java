// The Java client of scripts/error-atlas: HttpsURLConnection with the JDK's default
// verification; the proxy and trust store come from -Dhttps.proxyHost/-Port and
// -Djavax.net.ssl.trustStore. Prints the status; an exception ends it with its stack trace.
import java.net.URL;
import javax.net.ssl.HttpsURLConnection;

public class HttpsGet {
    public static void main(String[] args) throws Exception {
        HttpsURLConnection c = (HttpsURLConnection) new URL(args[0]).openConnection();
        c.setConnectTimeout(30000);
        c.setReadTimeout(30000);
        int status = c.getResponseCode();
        System.out.println("HTTP " + status);
        (status < 400 ? c.getInputStream() : c.getErrorStream()).readAllBytes();
    }
}
