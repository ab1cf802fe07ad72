namespace SalesforceJwt.Http.Internal;

/// <summary>
/// Whether a message's lazily created parts exist, without creating them. <c>HttpRequestMessage.Options</c> and
/// <see cref="HttpResponseMessage.Headers"/> allocate on first read; the hot path only needs to know whether anything
/// was put there (issue 12). Reads the runtime's own fields; should a runtime rename them, the answer is "maybe", and
/// callers read the public property as before. The netstandard2.0 build finds the fields by reflection, once, and reads
/// them through compiled expressions.
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
    // The netstandard2.0 build runs on .NET Framework and on .NET Core, whose fields differ; each reader is kept only if
    // its field is null on a new message and set once the public property has been read, i.e. it is that lazy part.
    private static readonly Func<HttpRequestMessage, object?>? s_options =
        FieldReader<HttpRequestMessage>(static r => _ = r.Properties, "_options", "_properties", "properties");

    private static readonly Func<HttpResponseMessage, object?>? s_headers =
        FieldReader<HttpResponseMessage>(static r => _ = r.Headers, "_headers", "headers");

    /// <summary>Whether the request may have options: false only when its options were never created.</summary>
    public static bool MayHaveOptions(HttpRequestMessage request) => s_options is not { } read || read(request) is not null;

    /// <summary>Whether the response may have headers: false only when its headers were never created.</summary>
    public static bool MayHaveHeaders(HttpResponseMessage response) => s_headers is not { } read || read(response) is not null;

    /// <summary>A reader of the first of <paramref name="names"/> that is the part <paramref name="create"/> makes; null when none is.</summary>
    internal static Func<T, object?>? FieldReader<T>(Action<T> create, params string[] names)
        where T : IDisposable, new()
    {
        foreach (var name in names)
        {
            try
            {
                var field = typeof(T).GetField(name, System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic);
                if (field is null || field.FieldType.IsValueType)
                {
                    continue;
                }

                var message = System.Linq.Expressions.Expression.Parameter(typeof(T));
                var read = System.Linq.Expressions.Expression.Lambda<Func<T, object?>>(
                    System.Linq.Expressions.Expression.Convert(System.Linq.Expressions.Expression.Field(message, field), typeof(object)), message).Compile();
                using var probe = new T();
                if (read(probe) is not null)
                {
                    continue;
                }

                create(probe);
                if (read(probe) is not null)
                {
                    return read;
                }
            }
            catch (Exception ex) when (ex is MemberAccessException or InvalidOperationException or NotSupportedException or System.Security.SecurityException)
            {
                // Not readable here (a restricted runtime): the answer stays "maybe".
            }
        }

        return null;
    }
#endif
}
