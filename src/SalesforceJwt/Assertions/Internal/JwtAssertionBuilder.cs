using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using SalesforceJwt.Internal;

namespace SalesforceJwt.Assertions.Internal;

/// <summary>
/// Signs the RS256 assertion Salesforce exchanges for a token: iss, sub, aud and exp, nothing more. The compact JWS is
/// written by hand (RFC 7515): a fixed header, four claims through <see cref="Utf8JsonWriter"/>, and one signature over
/// <c>base64url(header).base64url(claims)</c>, made by the local key or by a remote <see cref="ISalesforceAssertionSigner"/>.
/// </summary>
internal sealed class JwtAssertionBuilder
{
    private static readonly string s_header = Base64UrlEncoding.Encode(Encoding.ASCII.GetBytes("""{"alg":"RS256","typ":"JWT"}"""));

    // Escapes only what JSON requires: '+' in a username stays '+', as every JWT library writes it.
    private static readonly JsonWriterOptions s_writerOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly RSA? _key;
    private readonly SigningKey? _remote;
    private readonly TimeProvider _timeProvider;

    public JwtAssertionBuilder(RSA key, TimeProvider timeProvider)
    {
        _key = key;
        _timeProvider = timeProvider;
    }

    public JwtAssertionBuilder(SigningKey key, TimeProvider timeProvider)
    {
        _key = key.Signer is null ? key.Rsa : null;
        _remote = key.Signer is null ? null : key;
        _timeProvider = timeProvider;
    }

    /// <summary>Builds and signs with the local key.</summary>
    public string Build(string consumerKey, string username, string audience, TimeSpan lifetime)
    {
        var key = _key ?? throw new InvalidOperationException("This builder signs with a remote signer; use BuildAsync.");
        var signingInput = SigningInput(consumerKey, username, audience, lifetime);
        return Assemble(signingInput, key.SignData(signingInput, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    /// <summary>
    /// Builds and signs, with the local key or the remote signer. A remote signer gets at most <paramref name="timeout"/>
    /// and a token cancelled when it runs out or when <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    public async ValueTask<string> BuildAsync(
        string consumerKey, string username, string audience, TimeSpan lifetime,
        TimeSpan timeout, string connectionName, ILogger logger, CancellationToken cancellationToken)
    {
        if (_remote is null)
        {
            return Build(consumerKey, username, audience, lifetime);
        }

        var signingInput = SigningInput(consumerKey, username, audience, lifetime);
        var signature = await RemoteSignature.SignAsync(_remote, signingInput, timeout, _timeProvider, connectionName, logger, cancellationToken).ConfigureAwait(false);
        return Assemble(signingInput, signature);
    }

    private byte[] SigningInput(string consumerKey, string username, string audience, TimeSpan lifetime)
    {
        // Whole seconds, always UTC: a local-time or millisecond exp is the classic "expired authorization code".
        var expires = _timeProvider.GetUtcNow().Add(lifetime).ToUnixTimeSeconds();
        using var claims = new MemoryStream(256);
        using (var writer = new Utf8JsonWriter(claims, s_writerOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("iss", consumerKey);
            writer.WriteString("sub", username);
            writer.WriteString("aud", audience);
            writer.WriteNumber("exp", expires);
            writer.WriteEndObject();
        }

        return Encoding.ASCII.GetBytes(s_header + "." + Base64UrlEncoding.Encode(claims.ToArray()));
    }

    private static string Assemble(byte[] signingInput, byte[] signature) =>
        Encoding.ASCII.GetString(signingInput) + "." + Base64UrlEncoding.Encode(signature);
}
