#if NETSTANDARD2_0
using System.Security.Cryptography;

namespace SalesforceJwt.StackExchangeRedis.Internal;

/// <summary>The few members .NET Standard 2.0 lacks, with the same results as on modern .NET.</summary>
internal static class NetStandardPolyfills
{
    public static int IndexOf(this string text, char value, StringComparison comparison) =>
        comparison == StringComparison.Ordinal ? text.IndexOf(value) : text.IndexOf(value.ToString(), comparison);

    public static Task<T> WaitAsync<T>(this Task<T> task, CancellationToken cancellationToken) =>
        task.WaitAsync(Timeout.InfiniteTimeSpan, TimeProvider.System, cancellationToken);

    /// <summary>As <c>Convert.ToHexString(RandomNumberGenerator.GetBytes(count))</c>: upper-case hex of random bytes.</summary>
    public static string RandomHex(int count)
    {
        var bytes = new byte[count];
        using (var random = RandomNumberGenerator.Create())
        {
            random.GetBytes(bytes);
        }

        return BitConverter.ToString(bytes).Replace("-", string.Empty);
    }
}
#endif
