#if NETSTANDARD2_0
namespace SalesforceJwt.Internal;

/// <summary>The few instance methods .NET Standard 2.0 lacks, as extensions with the same shape.</summary>
internal static class NetStandardPolyfills
{
    public static bool Contains(this string text, string value, StringComparison comparison) => text.IndexOf(value, comparison) >= 0;

    public static bool Contains(this string text, char value) => text.IndexOf(value) >= 0;

    public static bool EndsWith(this string text, char value) => text.Length > 0 && text[text.Length - 1] == value;

    public static string Replace(this string text, string oldValue, string newValue, StringComparison comparison) =>
        comparison == StringComparison.Ordinal ? text.Replace(oldValue, newValue) : throw new NotSupportedException();

    public static string[] Split(this string text, char separator, StringSplitOptions options) => text.Split([separator], options);

    public static Task<string> ReadAsStringAsync(this HttpContent content, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return content.ReadAsStringAsync();
    }

    public static Task<Stream> ReadAsStreamAsync(this HttpContent content, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return content.ReadAsStreamAsync();
    }

    public static Task<T> WaitAsync<T>(this Task<T> task, CancellationToken cancellationToken) =>
        task.WaitAsync(Timeout.InfiniteTimeSpan, TimeProvider.System, cancellationToken);

    public static bool Remove<TKey, TValue>(this Dictionary<TKey, TValue> dictionary, TKey key, out TValue value)
        where TKey : notnull
    {
        if (dictionary.TryGetValue(key, out value!))
        {
            dictionary.Remove(key);
            return true;
        }

        return false;
    }
}
#endif
