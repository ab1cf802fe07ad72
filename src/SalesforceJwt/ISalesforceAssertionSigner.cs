namespace SalesforceJwt;

/// <summary>
/// Signs the JWT bearer assertion with a key the process never holds: a key in Azure Key Vault, AWS KMS or an HSM that
/// can sign but cannot be exported. Set an implementation as <see cref="SalesforceJwtOptions.Signer"/>.
/// </summary>
/// <remarks>
/// One call per token exchange, so one call per login, not per API request. The call runs under
/// <see cref="SalesforceJwtOptions.TokenRequestTimeout"/>: when that runs out, <c>cancellationToken</c> is cancelled and
/// the exchange fails with a <see cref="SalesforceTokenEndpointException"/> whose code is
/// <see cref="SalesforceErrorCode.SignerFailed"/>. Implementations must be safe to call from several threads.
/// </remarks>
public interface ISalesforceAssertionSigner
{
    /// <summary>Signs the JWS signing input with RS256 (RSASSA-PKCS1-v1_5 with SHA-256).</summary>
    /// <param name="signingInput">
    /// The ASCII bytes of <c>base64url(header) + "." + base64url(claims)</c>; the data to sign, not a digest of it.
    /// </param>
    /// <param name="cancellationToken">Cancelled when the token exchange's time budget runs out or the application stops.</param>
    /// <returns>The raw signature: as many bytes as the RSA modulus (256 for a 2048-bit key), not base64-encoded.</returns>
    ValueTask<byte[]> SignAsync(ReadOnlyMemory<byte> signingInput, CancellationToken cancellationToken);
}
