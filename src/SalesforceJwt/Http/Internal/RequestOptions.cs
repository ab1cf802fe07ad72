namespace SalesforceJwt.Http.Internal;

/// <summary>Per-request settings through <c>Options</c> where it exists and <c>Properties</c> on .NET Standard 2.0.</summary>
internal static class RequestOptions
{
    public static string? Username(HttpRequestMessage request)
    {
#if NET5_0_OR_GREATER
        // Most requests set no options; reading the property would create them on every request of the hot path.
        return LazyMessageParts.MayHaveOptions(request) && request.Options.TryGetValue(SalesforceHttpRequestOptions.Username, out var username)
            ? username
            : null;
#else
        return LazyMessageParts.MayHaveOptions(request) && request.Properties.TryGetValue(SalesforceHttpRequestOptions.UsernameKey, out var username)
            ? username as string
            : null;
#endif
    }

    public static void SetReplaySkipped(HttpRequestMessage request, SalesforceReplaySkipReason reason)
    {
#if NET5_0_OR_GREATER
        request.Options.Set(SalesforceHttpRequestOptions.ReplaySkipped, reason);
#else
        request.Properties[SalesforceHttpRequestOptions.ReplaySkippedKey] = reason;
#endif
    }

    private const string CredentialedKey = "SalesforceJwt.Credentialed";

#if NET5_0_OR_GREATER
    private static readonly HttpRequestOptionsKey<bool> s_credentialed = new(CredentialedKey);
#endif

    /// <summary>
    /// Notes that the handler attached <c>X-SFDC-Session</c> to this message, so a later pass can take it off again. An
    /// <c>Authorization</c> value of the handler's own is recognised by its type and needs no note.
    /// </summary>
    public static void SetCredentialed(HttpRequestMessage request)
    {
#if NET5_0_OR_GREATER
        request.Options.Set(s_credentialed, true);
#else
        request.Properties[CredentialedKey] = true;
#endif
    }

    /// <summary>Whether the handler attached <c>X-SFDC-Session</c> to this message on an earlier pass.</summary>
    public static bool WasCredentialed(HttpRequestMessage request)
    {
#if NET5_0_OR_GREATER
        return request.Options.TryGetValue(s_credentialed, out var credentialed) && credentialed;
#else
        return request.Properties.TryGetValue(CredentialedKey, out var credentialed) && credentialed is true;
#endif
    }

    /// <summary>Copies version, headers and options to the request that replays <paramref name="original"/>.</summary>
    public static void CopyTo(HttpRequestMessage original, HttpRequestMessage replay)
    {
        replay.Version = original.Version;
        foreach (var header in original.Headers)
        {
            replay.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

#if NET5_0_OR_GREATER
        replay.VersionPolicy = original.VersionPolicy;
        var target = (IDictionary<string, object?>)replay.Options;
        foreach (var option in original.Options)
        {
            target[option.Key] = option.Value;
        }
#else
        foreach (var property in original.Properties)
        {
            replay.Properties[property.Key] = property.Value;
        }
#endif
    }
}
