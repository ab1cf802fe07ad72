namespace SalesforceJwt.Testing;

/// <summary>A request the fake org received, and what it answered.</summary>
public sealed class FakeRecordedRequest
{
    internal FakeRecordedRequest(string method, string path, string? query, string? authorization, string? body, int status, DateTimeOffset receivedAt)
    {
        Method = method;
        Path = path;
        Query = query;
        Authorization = authorization;
        Body = body;
        Status = status;
        ReceivedAt = receivedAt;
    }

    /// <summary>Gets the HTTP method.</summary>
    public string Method { get; }

    /// <summary>Gets the path.</summary>
    public string Path { get; }

    /// <summary>Gets the query string without the leading <c>?</c>, if any.</summary>
    public string? Query { get; }

    /// <summary>Gets the Authorization header exactly as received. It holds a (fake) token: do not log it in real systems.</summary>
    public string? Authorization { get; }

    /// <summary>Gets the body as text, if any.</summary>
    public string? Body { get; }

    /// <summary>Gets the status the fake answered.</summary>
    public int Status { get; }

    /// <summary>Gets when it arrived, by the org's clock.</summary>
    public DateTimeOffset ReceivedAt { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Method} {Path} -> {Status}";
}
