using System.Security.Cryptography.X509Certificates;

namespace AgentVault.Broker.Tls;

/// <summary>The CA in memory: the public certificate (served to agents), the same certificate with its private key (signs leaves), and its PEM.</summary>
internal sealed record LoadedCa(X509Certificate2 Certificate, X509Certificate2 SigningCertificate, string Pem);
