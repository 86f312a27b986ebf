// A .NET Framework style HTTPS client under mono: one GET with HttpWebRequest through a proxy,
// as the Umbrella connector or the CRM E-mail Router make it. `mcs -out:HttpGet.exe HttpGet.cs`,
// then `mono HttpGet.exe URL PROXY_URL`.
// Prints "STATUS <code>" and exits 0, or "FAILED <exception>: <message>" for the exception and
// each inner exception and exits 1.
using System;
using System.Net;

class HttpGet {
    static int Main(string[] args) {
        if (args.Length != 2) {
            Console.Error.WriteLine("usage: mono HttpGet.exe URL PROXY_URL");
            return 2;
        }
        try {
            var request = (HttpWebRequest)WebRequest.Create(args[0]);
            request.Proxy = new WebProxy(args[1]);
            request.Timeout = 10000;
            using (var response = (HttpWebResponse)request.GetResponse())
                Console.WriteLine("STATUS " + (int)response.StatusCode);
            return 0;
        } catch (Exception e) {
            for (Exception x = e; x != null; x = x.InnerException)
                Console.WriteLine("FAILED " + x.GetType().FullName + ": " + x.Message);
            return 1;
        }
    }
}
