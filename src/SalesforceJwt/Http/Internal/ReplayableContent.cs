using System.Net.Http.Json;

namespace SalesforceJwt.Http.Internal;

/// <summary>
/// Makes sure a request body can be sent a second time after re-authentication, buffering it only when its type
/// cannot be re-read and only up to a limit. What cannot be made replayable is sent once, never twice or empty.
/// </summary>
internal static class ReplayableContent
{
    /// <summary>Returns <see langword="null"/> when the request can be replayed, otherwise the reason it cannot.</summary>
    public static async ValueTask<SalesforceReplaySkipReason?> PrepareAsync(HttpRequestMessage request, long maxBufferBytes, CancellationToken cancellationToken)
    {
        var content = request.Content;
        if (content is null || IsRepeatable(content))
        {
            return null;
        }

        var length = content.Headers.ContentLength;
        if (length is null)
        {
            return SalesforceReplaySkipReason.BodyOfUnknownLength;
        }

        if (length > maxBufferBytes)
        {
            return SalesforceReplaySkipReason.BodyTooLarge;
        }

        await content.BufferAsync(maxBufferBytes, cancellationToken).ConfigureAwait(false);
        return null;
    }

    private static bool IsRepeatable(HttpContent content) => content switch
    {
        // These serialize from memory or from an object each time they are sent.
        ByteArrayContent or JsonContent => true,
#if NET5_0_OR_GREATER
        ReadOnlyMemoryContent => true,
#endif
        MultipartContent multipart => multipart.All(IsRepeatable),
        _ => false,
    };
}
