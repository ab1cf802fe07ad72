using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using SalesforceJwt;

namespace SalesforceJwt.Samples.AwsKmsSigner;

/// <summary>
/// Signs Salesforce JWT bearer assertions with an RSA key in AWS KMS (key spec RSA_2048 or larger, key usage
/// SIGN_VERIFY). The private key never leaves KMS; the caller needs the kms:Sign permission on it.
/// </summary>
public sealed class KmsAssertionSigner(IAmazonKeyManagementService kms, string keyId) : ISalesforceAssertionSigner
{
    public async ValueTask<byte[]> SignAsync(ReadOnlyMemory<byte> signingInput, CancellationToken cancellationToken)
    {
        using var message = new MemoryStream(signingInput.ToArray());
        var response = await kms.SignAsync(new SignRequest
        {
            KeyId = keyId,
            Message = message,

            // RAW: KMS hashes the message with SHA-256 itself; the signing input is far below its 4 KiB limit.
            MessageType = MessageType.RAW,
            SigningAlgorithm = SigningAlgorithmSpec.RSASSA_PKCS1_V1_5_SHA_256,
        }, cancellationToken).ConfigureAwait(false);
        return response.Signature.ToArray();
    }
}
