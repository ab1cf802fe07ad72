namespace SalesforceJwt.Http;

/// <summary>Why a request whose session ended was not replayed with the new token; its original response went back to the caller.</summary>
public enum SalesforceReplaySkipReason
{
    /// <summary>The body is a stream of unknown length: it can be sent only once.</summary>
    BodyOfUnknownLength = 1,

    /// <summary>The body is larger than <see cref="SalesforceJwtOptions.MaxReplayBufferBytes"/>.</summary>
    BodyTooLarge = 2,
}
