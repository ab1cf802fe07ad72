using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace SalesforceJwt.Rest.Internal;

/// <summary>The reflection-based path of the helpers that take <see cref="JsonSerializerOptions"/> instead of a <see cref="JsonTypeInfo{T}"/>.</summary>
internal static class ReflectionJson
{
    public const string Message =
        "Serializes the record type with reflection, which trimming and native AOT cannot follow. Use the overload that takes a JsonTypeInfo<T> from a JsonSerializerContext.";

    private static JsonSerializerOptions? s_defaults;

    /// <summary>
    /// The options used when none are given: property names matched case-insensitively (Salesforce's are PascalCase),
    /// <see langword="null"/> properties not sent (so an update changes only what is set), and Salesforce's datetimes read.
    /// </summary>
    [RequiresUnreferencedCode(Message)]
    [RequiresDynamicCode(Message)]
    public static JsonSerializerOptions Defaults() => s_defaults ??= CreateDefaults();

    [RequiresUnreferencedCode(Message)]
    [RequiresDynamicCode(Message)]
    public static JsonTypeInfo<T> TypeInfo<T>(JsonSerializerOptions? options)
    {
        options ??= Defaults();

        // As JsonSerializer does on first use: lock the options, with the reflection resolver if they name none.
        options.MakeReadOnly(populateMissingResolver: true);
        return (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
    }

    [RequiresUnreferencedCode(Message)]
    [RequiresDynamicCode(Message)]
    private static JsonSerializerOptions CreateDefaults()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNameCaseInsensitive = true,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        };
        options.Converters.Add(new SalesforceDateTimeOffsetConverter());
        options.Converters.Add(new SalesforceDateTimeConverter());
        options.MakeReadOnly();
        return options;
    }
}
