using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace SalesforceJwt.DependencyInjection.Internal;

/// <summary>
/// Reads <see cref="SalesforceJwtOptions"/> from a configuration section, key by key, with no reflection: the
/// <c>IConfiguration</c> overloads of <c>AddSalesforceJwt</c> work under trimming and Native AOT without
/// <c>RequiresUnreferencedCode</c>. Keys and value formats are those of <c>ConfigurationBinder</c>; a test checks that
/// every settable option is read here or listed in <see cref="CodeOnly"/>.
/// </summary>
/// <remarks>
/// Not the configuration binding generator: it would also generate binding into <see cref="System.Security.Cryptography.X509Certificates.X509Certificate2"/>
/// and <see cref="System.Security.Cryptography.RSA"/> (through obsolete members) for the code-only key sources.
/// </remarks>
internal static class SalesforceJwtOptionsBinding
{
    /// <summary>Options that hold live objects and are set in code only.</summary>
    public static readonly string[] CodeOnly =
    [
        nameof(SalesforceJwtOptions.Certificate),
        nameof(SalesforceJwtOptions.PrivateKey),
        nameof(SalesforceJwtOptions.Signer),
    ];

    public static OptionsBuilder<SalesforceJwtOptions> BindSalesforceJwt(this OptionsBuilder<SalesforceJwtOptions> builder, IConfiguration configuration)
    {
        // As OptionsBuilder.Bind does: a reload of the configuration rebuilds the options.
        builder.Services.AddSingleton<IOptionsChangeTokenSource<SalesforceJwtOptions>>(
            new ConfigurationChangeTokenSource<SalesforceJwtOptions>(builder.Name, configuration));
        return builder.Configure(options => Bind(configuration, options));
    }

    public static void Bind(IConfiguration configuration, SalesforceJwtOptions options)
    {
        foreach (var name in CodeOnly)
        {
            var section = configuration.GetSection(name);
            if (section.Value is not null || section.GetChildren().Any())
            {
                throw new SalesforceConfigurationException(name,
                    $"{name} cannot be set from configuration ('{section.Path}'); it takes an object in code. " +
                    "In configuration, set PrivateKeyPath (PEM or PKCS#12 file) or CertificateThumbprint (certificate store) instead.");
            }
        }

        Text(configuration, nameof(SalesforceJwtOptions.ConsumerKey), v => options.ConsumerKey = v);
        Text(configuration, nameof(SalesforceJwtOptions.Username), v => options.Username = v);
        Parsed(configuration, nameof(SalesforceJwtOptions.LoginUrl), "URL such as https://login.salesforce.com", v => new Uri(v, UriKind.RelativeOrAbsolute), v => options.LoginUrl = v);
        Text(configuration, nameof(SalesforceJwtOptions.Audience), v => options.Audience = v);
        Text(configuration, nameof(SalesforceJwtOptions.PrivateKeyPath), v => options.PrivateKeyPath = v);
        Text(configuration, nameof(SalesforceJwtOptions.PrivateKeyPassword), v => options.PrivateKeyPassword = v);
        Text(configuration, nameof(SalesforceJwtOptions.CertificatePath), v => options.CertificatePath = v);
        Text(configuration, nameof(SalesforceJwtOptions.CertificateThumbprint), v => options.CertificateThumbprint = v);
        Duration(configuration, nameof(SalesforceJwtOptions.AssertionLifetime), v => options.AssertionLifetime = v);
        Parsed<TimeSpan?>(configuration, nameof(SalesforceJwtOptions.SessionTimeout), "duration such as 02:00:00", v => v.Length == 0 ? null : ParseDuration(v), v => options.SessionTimeout = v);
        Parsed(configuration, nameof(SalesforceJwtOptions.ReadSessionTimeout), "true or false", v => bool.Parse(v), v => options.ReadSessionTimeout = v);
        Duration(configuration, nameof(SalesforceJwtOptions.ReauthenticationPause), v => options.ReauthenticationPause = v);
        Duration(configuration, nameof(SalesforceJwtOptions.LoginRateLimitPause), v => options.LoginRateLimitPause = v);
        Duration(configuration, nameof(SalesforceJwtOptions.TokenRequestTimeout), v => options.TokenRequestTimeout = v);
        Parsed(configuration, nameof(SalesforceJwtOptions.MaxLoginsPerHour), "whole number", v => int.Parse(v, NumberStyles.Integer, CultureInfo.InvariantCulture), v => options.MaxLoginsPerHour = v);
        Parsed(configuration, nameof(SalesforceJwtOptions.MaxCachedUsers), "whole number", v => int.Parse(v, NumberStyles.Integer, CultureInfo.InvariantCulture), v => options.MaxCachedUsers = v);
        Duration(configuration, nameof(SalesforceJwtOptions.CertificateExpiryWarning), v => options.CertificateExpiryWarning = v);
        Parsed(configuration, nameof(SalesforceJwtOptions.WarmUpOnStart), "true or false", v => bool.Parse(v), v => options.WarmUpOnStart = v);
        Text(configuration, nameof(SalesforceJwtOptions.ApiVersion), v => options.ApiVersion = v);
        Parsed(configuration, nameof(SalesforceJwtOptions.ApiUsageWarningThreshold), "number such as 0.9", v => double.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture), v => options.ApiUsageWarningThreshold = v);
        Parsed(configuration, nameof(SalesforceJwtOptions.MaxReplayBufferBytes), "whole number", v => long.Parse(v, NumberStyles.Integer, CultureInfo.InvariantCulture), v => options.MaxReplayBufferBytes = v);
    }

    private static void Text(IConfiguration configuration, string key, Action<string> set)
    {
        if (configuration[key] is { } value)
        {
            set(value);
        }
    }

    private static void Duration(IConfiguration configuration, string key, Action<TimeSpan> set) =>
        Parsed(configuration, key, "duration such as 00:02:00", ParseDuration, set);

    private static TimeSpan ParseDuration(string value) => TimeSpan.Parse(value, CultureInfo.InvariantCulture);

    private static void Parsed<T>(IConfiguration configuration, string key, string expected, Func<string, T> parse, Action<T> set)
    {
        if (configuration[key] is not { } value)
        {
            return;
        }

        T parsed;
        try
        {
            parsed = parse(value.Trim());
        }
        catch (Exception ex) when (ex is FormatException or OverflowException or UriFormatException)
        {
            var path = configuration is IConfigurationSection section ? $"{section.Path}:{key}" : key;
            throw new SalesforceConfigurationException(key, $"The configuration value '{value}' at '{path}' is not a valid {expected}.", ex);
        }

        set(parsed);
    }
}
