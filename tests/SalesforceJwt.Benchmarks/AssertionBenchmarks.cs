using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using SalesforceJwt.Assertions.Internal;
using SalesforceJwt.Tokens;

namespace SalesforceJwt.Benchmarks;

/// <summary>
/// Target 3, assertion cost: the library's assertion builder (claims, header, base64url, RS256 signature, compact JWS)
/// next to a bare RSA.SignData on the same 2048-bit key (baseline). For context, also through the public API: a token
/// for a user not seen before (build + sign one assertion + one in-memory exchange), and the same by hand.
/// </summary>
[MemoryDiagnoser]
public class AssertionBenchmarks
{
    private BenchmarkClients _clients = null!;
    private BenchmarkClients _unsigned = null!;
    private HttpClient _exchange = null!;
    private byte[] _signingInput = null!;
    private JwtAssertionBuilder _builder = null!;
    private int _user;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _clients = await BenchmarkClients.CreateAsync();
        _exchange = new HttpClient(_clients.TokenEndpoint, disposeHandler: false);
        _builder = new JwtAssertionBuilder(_clients.Key, TimeProvider.System);
        var fixedSignature = _clients.Key.SignData("x"u8.ToArray(), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        _unsigned = await BenchmarkClients.CreateAsync(configure: o =>
        {
            o.PrivateKey = null;
            o.Signer = new FixedSignature(fixedSignature);
        });
        // A signing input the size of a real one: base64url(header).base64url(claims).
        _signingInput = Encoding.ASCII.GetBytes(
            "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiIzTVZHOS1iZW5jaG1hcmsiLCJzdWIiOiJpbnRlZ3JhdGlvbkBhY21lLmNvbSIsImF1ZCI6Imh0dHBzOi8vbG9naW4uc2FsZXNmb3JjZS5jb20iLCJleHAiOjE3NjUwMDAxODB9");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _exchange.Dispose();
        _unsigned.Dispose();
        _clients.Dispose();
    }

    [Benchmark(Baseline = true)]
    public byte[] BareSignData() => _clients.Key.SignData(_signingInput, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

    /// <summary>What the library does for each login before the exchange: the whole assertion, signed with the same key.</summary>
    [Benchmark]
    public string AssertionBuilder_Build() =>
        _builder.Build("3MVG9-benchmark", "integration@acme.com", "https://login.salesforce.com", TimeSpan.FromMinutes(2));

    [Benchmark]
    public async Task<string> BareSignData_PlusInMemoryExchange()
    {
        var signature = _clients.Key.SignData(_signingInput, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var assertion = Encoding.ASCII.GetString(_signingInput) + "." + Convert.ToBase64String(signature);
        using var form = new FormUrlEncodedContent(
        [
            new("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"),
            new("assertion", assertion),
        ]);
        using var response = await _exchange.PostAsync(new Uri(BenchmarkClients.Instance + "/services/oauth2/token"), form);
        return await response.Content.ReadAsStringAsync();
    }

    [Benchmark]
    public async Task<SalesforceToken> GetTokenAsync_NewUser()
    {
        var user = $"user{Interlocked.Increment(ref _user)}@acme.com";
        return await _clients.Tokens.GetTokenAsync(SalesforceJwtDefaults.ClientName, new SalesforceTokenRequest { Username = user });
    }

    /// <summary>
    /// The same cold-user token with a signer that returns a precomputed signature: everything the library does except
    /// the RSA operation, so (GetTokenAsync_NewUser - this) is what signing costs inside the library.
    /// </summary>
    [Benchmark]
    public async Task<SalesforceToken> GetTokenAsync_NewUser_NoRsa()
    {
        var user = $"user{Interlocked.Increment(ref _user)}@acme.com";
        return await _unsigned.Tokens.GetTokenAsync(SalesforceJwtDefaults.ClientName, new SalesforceTokenRequest { Username = user });
    }

    private sealed class FixedSignature(byte[] signature) : ISalesforceAssertionSigner
    {
        public ValueTask<byte[]> SignAsync(ReadOnlyMemory<byte> signingInput, CancellationToken cancellationToken) => new(signature);
    }
}
