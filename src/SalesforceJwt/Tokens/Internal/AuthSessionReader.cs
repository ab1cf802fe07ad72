using System.Text.Json;
using Polly;
using SalesforceJwt.Http.Internal;
using SalesforceJwt.Internal;

namespace SalesforceJwt.Tokens.Internal;

/// <summary>
/// Reads the timeout of a new token's session from Salesforce: <c>NumSecondsValid</c> of the current
/// <c>AuthSession</c> (docs/salesforce-behaviour.md#reading-a-sessions-timeout-from-authsession). One bounded request,
/// only to the token's own instance, answered or not within a few seconds.
/// </summary>
internal static class AuthSessionReader
{
    /// <summary>The query: the session whose token was just issued.</summary>
    public const string Soql = "SELECT NumSecondsValid, LastModifiedDate FROM AuthSession WHERE IsCurrent = true ORDER BY LastModifiedDate DESC LIMIT 1";

    /// <summary>A one-row answer is well under 1 KiB; anything past this is not one.</summary>
    public const int MaxResponseBytes = 16 * 1024;

    /// <summary>How long the read may take before the login goes on without it.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>What the read found: the timeout, or why there is none (a Salesforce error code, or a short cause).</summary>
    public readonly record struct Result(TimeSpan? SessionTimeout, string? Refusal);

    public static async Task<Result> ReadAsync(HttpClient client, TimeProvider timeProvider, SalesforceToken token, string apiVersion, CancellationToken cancellationToken)
    {
        // The token's own instance only, built on its origin and checked before the token goes in, as the handler does.
        if (CredentialTarget.OnInstance(token, $"/services/data/v{apiVersion}/query?q={Uri.EscapeDataString(Soql)}") is not { } uri)
        {
            return new Result(null, "not the token's instance");
        }

        using var deadline = TimeProviderTimeout.Create(timeProvider, Timeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            request.Headers.Authorization = token.AuthorizationHeader;
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            if (response.Content is null)
            {
                return new Result(null, $"HTTP {(int)response.StatusCode}");
            }

            var body = await BoundedBody.ReadPrefixAsync(response.Content, MaxResponseBytes, linked.Token).ConfigureAwait(false);
            body.Rest?.Dispose();
            if (!body.IsComplete)
            {
                return new Result(null, "answer too large");
            }

            return Interpret((int)response.StatusCode, new ReadOnlyMemory<byte>(body.Buffer, 0, body.Length));
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or ExecutionRejectedException && !cancellationToken.IsCancellationRequested)
        {
            // Never a reason to fail the login it follows: the timeout is then learned instead.
            return new Result(null, ex is HttpRequestException ? "unreachable" : "no answer in time");
        }
    }

    internal static Result Interpret(int status, ReadOnlyMemory<byte> body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (status == 200 && root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("records", out var records) && records.ValueKind == JsonValueKind.Array)
            {
                foreach (var record in records.EnumerateArray())
                {
                    if (record.ValueKind == JsonValueKind.Object && record.TryGetProperty("NumSecondsValid", out var seconds)
                        && seconds.ValueKind == JsonValueKind.Number && seconds.TryGetInt32(out var value) && value > 0)
                    {
                        return new Result(TimeSpan.FromSeconds(value), null);
                    }
                }

                return new Result(null, "no current session row");
            }

            // REST errors are an array of {message, errorCode}: INSUFFICIENT_ACCESS without Manage Users, INVALID_TYPE when the object is hidden.
            if (root.ValueKind == JsonValueKind.Array && root.GetArrayLength() > 0 && root[0].ValueKind == JsonValueKind.Object
                && root[0].TryGetProperty("errorCode", out var code) && code.ValueKind == JsonValueKind.String)
            {
                return new Result(null, code.GetString());
            }
        }
        catch (JsonException)
        {
        }

        return new Result(null, $"HTTP {status}");
    }
}
