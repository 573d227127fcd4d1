using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core;

// An HTTPS upstream for bench/run.sh: a throw-away CA (written to <dir>/ca.pem) and a leaf for bench.upstream.test.
var dir = args[0];
using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
var caRequest = new CertificateRequest("CN=bench CA", caKey, HashAlgorithmName.SHA256);
caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(1));
File.WriteAllText(Path.Combine(dir, "ca.pem"), ca.ExportCertificatePem());
using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
var leafRequest = new CertificateRequest("CN=bench.upstream.test", leafKey, HashAlgorithmName.SHA256);
var san = new SubjectAlternativeNameBuilder();
san.AddDnsName("bench.upstream.test");
san.AddIpAddress(IPAddress.Loopback);
leafRequest.CertificateExtensions.Add(san.Build());
using var issued = leafRequest.Create(ca, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(1), [1, 2, 3, 4]);
var leaf = X509CertificateLoader.LoadPkcs12(issued.CopyWithPrivateKey(leafKey).Export(X509ContentType.Pkcs12), null);

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l =>
{
    l.Protocols = HttpProtocols.Http1AndHttp2;
    l.UseHttps(leaf);
}));
var app = builder.Build();
var small = "ok"u8.ToArray();
// Textual, so that `redact: on` scans it (binary bodies are passed through uninspected).
var large = new byte[1 << 20];
Array.Fill(large, (byte)'a');
app.MapGet("/", () => Results.Bytes(small, "text/plain"));
app.MapGet("/1m", () => Results.Bytes(large, "text/plain"));
// Only for bench/run.sh's sanity check that a proxy injected the credential (the measured paths never look at headers).
app.MapGet("/auth", (HttpRequest request) => request.Headers.Authorization == "Bearer bench-secret-value"
    ? Results.Text("injected") : Results.Text("missing", statusCode: 401));
await app.StartAsync();
Console.WriteLine("listening on " + app.Urls.First());
await app.WaitForShutdownAsync();
