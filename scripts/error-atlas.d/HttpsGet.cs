// The Mono client of scripts/error-atlas (and of the mono check test): HttpWebRequest, as the
// field cases' .NET clients use it, with Mono's default validation through tlsfault's explicit
// proxy. It trusts what Mono's trust store holds: the caller puts the lab root in a fresh HOME
// with `cert-sync --user` (~/.config/.mono/new-certs). Prints `HTTP <status> <text>` on an
// answer, an HTTP error status included (exit 0, like curl without -f); a failure prints the
// exception chain on one line, outermost first, each "Type: message" joined by " ---> " (as
// .NET's ToString does), on stderr, and exits 1.
// Build: mcs -out:HttpsGet.exe HttpsGet.cs      Usage: mono HttpsGet.exe URL PROXY_PORT
using System;
using System.IO;
using System.Net;

public static class HttpsGet {
    static string Chain(Exception e) {
        var text = "";
        for (; e != null; e = e.InnerException)
            text += (text.Length > 0 ? " ---> " : "") + e.GetType().FullName + ": " + e.Message;
        return text;
    }

    static void Print(HttpWebResponse response) {
        Console.WriteLine("HTTP " + (int)response.StatusCode + " " + response.StatusDescription);
        using (var body = new StreamReader(response.GetResponseStream())) body.ReadToEnd();
    }

    // Environment.Exit, not a return from Main: after a failed handshake Mono's runtime sometimes
    // never finishes shutting down (a BTLS socket left to the finalizer), and the process hangs.
    public static void Main(string[] args) {
        Environment.Exit(Run(args));
    }

    static int Run(string[] args) {
        if (args.Length != 2) {
            Console.Error.WriteLine("usage: mono HttpsGet.exe URL PROXY_PORT");
            return 2;
        }
        var request = (HttpWebRequest)WebRequest.Create(args[0]);
        request.Proxy = new WebProxy("127.0.0.1", int.Parse(args[1]));
        request.Timeout = 30000;
        request.ReadWriteTimeout = 30000;
        try {
            using (var response = (HttpWebResponse)request.GetResponse()) Print(response);
            return 0;
        } catch (WebException e) when (e.Response is HttpWebResponse) {
            // A 4xx/5xx answer is an answer: the field cases' "(403) Forbidden" is this line.
            Console.WriteLine(e.GetType().FullName + ": " + e.Message);
            using (var response = (HttpWebResponse)e.Response) Print(response);
            return 0;
        } catch (Exception e) {
            Console.Error.WriteLine(Chain(e));
            return 1;
        }
    }
}
