using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using SalesforceJwt.Diagnostics;
using SalesforceJwt.Internal;

namespace SalesforceJwt.Assertions.Internal;

/// <summary>
/// Asks an <see cref="ISalesforceAssertionSigner"/> for one signature within a time budget, and checks what comes back
/// before it goes to Salesforce: every failure is a typed error that names the signer.
/// </summary>
internal static class RemoteSignature
{
    public static async ValueTask<byte[]> SignAsync(
        SigningKey key, byte[] signingInput, TimeSpan timeout, TimeProvider timeProvider,
        string connectionName, ILogger logger, CancellationToken cancellationToken)
    {
        var signer = key.Signer!;
        var signerName = signer.GetType().FullName ?? signer.GetType().Name;
        var started = timeProvider.GetTimestamp();
        using var budget = TimeProviderTimeout.Create(timeProvider, timeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(budget.Token, cancellationToken);
        Log.SignerSigning(logger, connectionName, signerName);

        byte[]? signature;
        try
        {
            var pending = signer.SignAsync(signingInput, linked.Token);
            signature = pending.IsCompletedSuccessfully ? pending.Result : await AwaitWithin(pending.AsTask(), linked.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (budget.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            var seconds = timeProvider.GetElapsedTime(started).TotalSeconds;
            Log.SignerTimedOut(logger, connectionName, signerName, seconds);
            throw new SalesforceTokenEndpointException(SalesforceErrorCode.SignerFailed,
                $"The assertion signer {signerName} did not sign within TokenRequestTimeout ({timeout.TotalSeconds:0.###} s); Salesforce was not asked. " +
                "Check that the key service (Key Vault, KMS, HSM) is reachable from this machine, or raise TokenRequestTimeout.",
                statusCode: null, contentType: null, bodyExcerpt: null, isTransient: true, ex);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            Log.SignerFailed(logger, connectionName, signerName, timeProvider.GetElapsedTime(started).TotalSeconds, ex);
            throw new SalesforceTokenEndpointException(SalesforceErrorCode.SignerFailed,
                $"The assertion signer {signerName} failed: {ex.GetType().Name}: {ex.Message} Salesforce was not asked. " +
                "Check the signer's access to its key (for example the kms:Sign or keys/sign permission) and that the key is enabled; the inner exception has the details.",
                statusCode: null, contentType: null, bodyExcerpt: null, isTransient: true, ex);
        }

        Check(signature, signingInput, key, signerName);
        Log.SignerSigned(logger, connectionName, signerName, timeProvider.GetElapsedTime(started).TotalSeconds);
        return signature;
    }

    /// <summary>Stops waiting when the budget runs out even if the signer ignores its token; its late outcome is observed and dropped.</summary>
    private static async Task<byte[]> AwaitWithin(Task<byte[]> pending, CancellationToken cancellationToken)
    {
        try
        {
            return await pending.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!pending.IsCompleted)
        {
            _ = pending.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            throw;
        }
    }

    private static void Check([System.Diagnostics.CodeAnalysis.NotNull] byte[]? signature, byte[] signingInput, SigningKey key, string signerName)
    {
        const int MinimumLength = SigningKeyLoader.MinimumKeySize / 8;
        if (signature is null || signature.Length < MinimumLength)
        {
            throw new SalesforceTokenEndpointException(SalesforceErrorCode.SignerFailed,
                $"The assertion signer {signerName} returned {(signature is null ? "no signature" : $"{signature.Length} bytes")}; an RS256 signature by a key of at least " +
                $"{SigningKeyLoader.MinimumKeySize} bits has at least {MinimumLength}. Return the raw RSASSA-PKCS1-v1_5 SHA-256 signature bytes, not base64 text, a digest or an ECDSA signature.",
                statusCode: null, contentType: null, bodyExcerpt: null, isTransient: false);
        }

        if (key.Certificate is not { } certificate)
        {
            return;
        }

        using var publicKey = certificate.GetRSAPublicKey()!;
        if (!publicKey.VerifyData(signingInput, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
        {
            throw new SalesforceConfigurationException(nameof(SalesforceJwtOptions.Signer),
                $"The signature made by the assertion signer {signerName} does not verify with the certificate set in CertificatePath " +
                $"(subject {certificate.Subject}, thumbprint {certificate.Thumbprint}); Salesforce would answer 'invalid assertion' and was not asked. " +
                "Point the signer at the key the certificate was made from (RS256, RSASSA-PKCS1-v1_5 with SHA-256, over the data itself, not a digest), or upload and configure a certificate made from the signer's key.");
        }
    }
}
