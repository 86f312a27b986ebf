// Loads a PKCS#12 file the way a .NET Framework application does (X509Certificate2 with a
// password), under mono: `mono LoadP12.exe FILE PASSWORD` after `mcs -out:LoadP12.exe LoadP12.cs`.
// Prints "LOADED <subject> private key: True|False" and exits 0, or "FAILED <exception>: <message>"
// and exits 1.
using System;
using System.Security.Cryptography.X509Certificates;

class LoadP12 {
    static int Main(string[] args) {
        if (args.Length != 2) {
            Console.Error.WriteLine("usage: mono LoadP12.exe FILE PASSWORD");
            return 2;
        }
        try {
            var cert = new X509Certificate2(args[0], args[1], X509KeyStorageFlags.Exportable);
            Console.WriteLine("LOADED " + cert.Subject + " private key: " + cert.HasPrivateKey);
            return 0;
        } catch (Exception e) {
            Console.WriteLine("FAILED " + e.GetType().FullName + ": " + e.Message);
            return 1;
        }
    }
}
