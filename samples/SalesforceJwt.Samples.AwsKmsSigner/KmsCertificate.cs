using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;

namespace SalesforceJwt.Samples.AwsKmsSigner;

/// <summary>
/// Makes the self-signed certificate to upload to the connected app from a KMS key: the public key comes from
/// GetPublicKey, and KMS signs the certificate itself, so the private key is never exported, not even once.
/// </summary>
public static class KmsCertificate
{
    public static async Task<X509Certificate2> CreateSelfSignedAsync(IAmazonKeyManagementService kms, string keyId, string subject, TimeSpan validFor, CancellationToken cancellationToken = default)
    {
        var publicKeyResponse = await kms.GetPublicKeyAsync(new GetPublicKeyRequest { KeyId = keyId }, cancellationToken).ConfigureAwait(false);
        using var publicKey = RSA.Create();
        publicKey.ImportSubjectPublicKeyInfo(publicKeyResponse.PublicKey.ToArray(), out _);

        var request = new CertificateRequest(subject, publicKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var now = DateTimeOffset.UtcNow;
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        return request.Create(request.SubjectName, new KmsSignatureGenerator(kms, keyId, publicKey), now.AddMinutes(-5), now.Add(validFor), serial);
    }

    /// <summary>Lets CertificateRequest sign through KMS; certificate creation is synchronous, so this blocks once.</summary>
    private sealed class KmsSignatureGenerator(IAmazonKeyManagementService kms, string keyId, RSA publicKey) : X509SignatureGenerator
    {
        private readonly X509SignatureGenerator _shape = CreateForRSA(publicKey, RSASignaturePadding.Pkcs1);

        public override byte[] GetSignatureAlgorithmIdentifier(HashAlgorithmName hashAlgorithm) => _shape.GetSignatureAlgorithmIdentifier(hashAlgorithm);

        public override byte[] SignData(byte[] data, HashAlgorithmName hashAlgorithm)
        {
            using var message = new MemoryStream(data);
            var request = new SignRequest
            {
                KeyId = keyId,
                Message = message,
                MessageType = MessageType.RAW,
                SigningAlgorithm = SigningAlgorithmSpec.RSASSA_PKCS1_V1_5_SHA_256,
            };
            return kms.SignAsync(request).GetAwaiter().GetResult().Signature.ToArray();
        }

        protected override PublicKey BuildPublicKey() => PublicKey.CreateFromSubjectPublicKeyInfo(publicKey.ExportSubjectPublicKeyInfo(), out _);
    }
}
