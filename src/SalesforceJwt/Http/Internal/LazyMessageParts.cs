namespace SalesforceJwt.Http.Internal;

/// <summary>
/// Whether a message's lazily created parts exist, without creating them. <c>HttpRequestMessage.Options</c> and
/// <see cref="HttpResponseMessage.Headers"/> allocate on first read; the hot path only needs to know whether anything
/// was put there (issue 12). Reads the runtime's own fields; should a runtime rename them, the answer is "maybe", and
/// callers read the public property as before.
/// </summary>
internal static class LazyMessageParts
{
#if NET8_0_OR_GREATER
    private static readonly bool s_fieldsFound = FindFields();

    [System.Runtime.CompilerServices.UnsafeAccessor(System.Runtime.CompilerServices.UnsafeAccessorKind.Field, Name = "_options")]
    private static extern ref HttpRequestOptions? OptionsField(HttpRequestMessage request);

    [System.Runtime.CompilerServices.UnsafeAccessor(System.Runtime.CompilerServices.UnsafeAccessorKind.Field, Name = "_headers")]
    private static extern ref System.Net.Http.Headers.HttpResponseHeaders? HeadersField(HttpResponseMessage response);

    /// <summary>Whether the request may have options: false only when its options were never created.</summary>
    public static bool MayHaveOptions(HttpRequestMessage request) => !s_fieldsFound || OptionsField(request) is not null;

    /// <summary>Whether the response may have headers: false only when its headers were never created.</summary>
    public static bool MayHaveHeaders(HttpResponseMessage response) => !s_fieldsFound || HeadersField(response) is not null;

    private static bool FindFields()
    {
        try
        {
            using var request = new HttpRequestMessage();
            using var response = new HttpResponseMessage();
            _ = request.Options;
            _ = response.Headers;
            return OptionsField(request) is not null && HeadersField(response) is not null;
        }
        catch (MissingFieldException)
        {
            return false;
        }
    }
#else
    public static bool MayHaveOptions(HttpRequestMessage request) => true;

    public static bool MayHaveHeaders(HttpResponseMessage response) => true;
#endif
}
