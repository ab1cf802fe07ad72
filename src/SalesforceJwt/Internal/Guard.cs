using System.Runtime.CompilerServices;

namespace SalesforceJwt.Internal;

/// <summary>
/// Argument checks that read the same on every target (.NET Standard 2.0 has no <c>ThrowIfNull</c>). Compiled into
/// SalesforceJwt.StackExchangeRedis too, as source: internals are not shared between packages.
/// </summary>
internal static class Guard
{
    public static void NotNull([System.Diagnostics.CodeAnalysis.NotNull] object? value, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
#if NET6_0_OR_GREATER
        ArgumentNullException.ThrowIfNull(value, name);
#else
        if (value is null)
        {
            throw new ArgumentNullException(name);
        }
#endif
    }

    public static void NotNullOrEmpty([System.Diagnostics.CodeAnalysis.NotNull] string? value, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
#if NET7_0_OR_GREATER
        ArgumentException.ThrowIfNullOrEmpty(value, name);
#else
        NotNull(value, name);
        if (value.Length == 0)
        {
            throw new ArgumentException("The value cannot be an empty string.", name);
        }
#endif
    }

    public static void NotNullOrWhiteSpace([System.Diagnostics.CodeAnalysis.NotNull] string? value, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
#if NET8_0_OR_GREATER
        ArgumentException.ThrowIfNullOrWhiteSpace(value, name);
#else
        NotNull(value, name);
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ArgumentException("The value cannot be an empty string or composed entirely of whitespace.", name);
        }
#endif
    }

    public static void NotDisposed([System.Diagnostics.CodeAnalysis.DoesNotReturnIf(true)] bool disposed, object instance)
    {
#if NET7_0_OR_GREATER
        ObjectDisposedException.ThrowIf(disposed, instance);
#else
        if (disposed)
        {
            throw new ObjectDisposedException(instance.GetType().FullName);
        }
#endif
    }
}
