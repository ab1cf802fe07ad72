using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SalesforceJwt.DependencyInjection.Internal;
using SalesforceJwt.Tests.TestSupport;

namespace SalesforceJwt.Tests.DependencyInjection;

/// <summary>The reflection-free reading of options from configuration, held against ConfigurationBinder itself.</summary>
public sealed class SalesforceJwtOptionsBindingTests
{
    private static readonly PropertyInfo[] s_settable =
        [.. typeof(SalesforceJwtOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite)];

    /// <summary>A configuration value for each option type, unlike every default.</summary>
    private static string? SampleValue(PropertyInfo property)
    {
        var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        return type == typeof(string) ? $"value-of-{property.Name}"
            : type == typeof(Uri) ? "https://acme.my.salesforce.com"
            : type == typeof(TimeSpan) ? "00:01:23"
            : type == typeof(int) ? "7"
            : type == typeof(long) ? "9"
            : type == typeof(bool) ? (property.GetValue(new SalesforceJwtOptions()) is true ? "false" : "true")
            : type == typeof(double) ? "0.25"
            : null;
    }

    private static IConfigurationSection Section(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.ToDictionary(p => "Salesforce:" + p.Key, p => p.Value)).Build().GetSection("Salesforce");

    [Fact]
    public void Bind_EverySettableOption_IsReadFromConfiguration_OrIsCodeOnly()
    {
        var unread = new List<string>();
        foreach (var property in s_settable.Where(p => !SalesforceJwtOptionsBinding.CodeOnly.Contains(p.Name)))
        {
            var value = SampleValue(property);
            Assert.True(value is not null, $"SalesforceJwtOptions.{property.Name} has a type this test does not know; teach SampleValue and SalesforceJwtOptionsBinding.");
            var options = new SalesforceJwtOptions();
            SalesforceJwtOptionsBinding.Bind(Section(new() { [property.Name] = value }), options);
            if (Equals(property.GetValue(options), property.GetValue(new SalesforceJwtOptions())))
            {
                unread.Add(property.Name);
            }
        }

        Assert.True(unread.Count == 0, $"Not read from configuration: {string.Join(", ", unread)}. Add them to SalesforceJwtOptionsBinding.Bind.");
    }

    [Fact]
    public void Bind_AllOptionsAtOnce_GivesWhatConfigurationBinderGives()
    {
        var values = s_settable.Where(p => !SalesforceJwtOptionsBinding.CodeOnly.Contains(p.Name))
            .ToDictionary(p => p.Name, p => SampleValue(p));
        values[nameof(SalesforceJwtOptions.SessionTimeout)] = "1.02:03:04";
        var section = Section(values);

        var ours = new SalesforceJwtOptions();
        SalesforceJwtOptionsBinding.Bind(section, ours);
        var reference = new SalesforceJwtOptions();
        section.Bind(reference);

        Assert.All(s_settable, p => Assert.Equal(p.GetValue(reference), p.GetValue(ours)));
    }

    [Fact]
    public void Bind_KeysDifferInCase_AreStillRead()
    {
        var options = new SalesforceJwtOptions();

        SalesforceJwtOptionsBinding.Bind(Section(new() { ["consumerkey"] = "3MVG9", ["ASSERTIONLIFETIME"] = "00:01:00" }), options);

        Assert.Equal("3MVG9", options.ConsumerKey);
        Assert.Equal(TimeSpan.FromMinutes(1), options.AssertionLifetime);
    }

    [Theory]
    [InlineData("Certificate", "/keys/app.pfx")]
    [InlineData("PrivateKey", "-----BEGIN PRIVATE KEY-----")]
    [InlineData("Signer:Type", "Kms")]
    public void Bind_CodeOnlyOptionInConfiguration_TypedErrorPointsAtTheFileOptions(string key, string value)
    {
        var ex = Assert.Throws<SalesforceConfigurationException>(() => SalesforceJwtOptionsBinding.Bind(Section(new() { [key] = value }), new SalesforceJwtOptions()));

        Assert.Equal(key.Split(':')[0], ex.OptionName);
        Assert.Contains("PrivateKeyPath", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(value, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_DurationThatDoesNotParse_TypedErrorNamesThePathAndTheFormat()
    {
        var ex = Assert.Throws<SalesforceConfigurationException>(() =>
            SalesforceJwtOptionsBinding.Bind(Section(new() { ["TokenRequestTimeout"] = "30s" }), new SalesforceJwtOptions()));

        Assert.Equal(nameof(SalesforceJwtOptions.TokenRequestTimeout), ex.OptionName);
        Assert.Contains("'Salesforce:TokenRequestTimeout'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("00:02:00", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddSalesforceJwt_ConfigurationReloads_OptionsFollow()
    {
        var source = new Dictionary<string, string?> { ["Salesforce:ConsumerKey"] = "first", ["Salesforce:Username"] = "u@example.com" };
        var provider = new ReloadableProvider(source);
        var configuration = new ConfigurationBuilder().Add(new ReloadableSource(provider)).Build();
        var services = new ServiceCollection();
        services.AddSalesforceJwt(configuration.GetSection("Salesforce"));
        services.Configure<SalesforceJwtOptions>(SalesforceJwtDefaults.ClientName, o => o.PrivateKey = TestKeys.Shared);
        using var built = services.BuildServiceProvider();
        var monitor = built.GetRequiredService<IOptionsMonitor<SalesforceJwtOptions>>();
        Assert.Equal("first", monitor.Get(SalesforceJwtDefaults.ClientName).ConsumerKey);

        provider.Set("Salesforce:ConsumerKey", "second");

        Assert.Equal("second", monitor.Get(SalesforceJwtDefaults.ClientName).ConsumerKey);
    }

    private sealed class ReloadableSource(ReloadableProvider provider) : IConfigurationSource
    {
        public IConfigurationProvider Build(IConfigurationBuilder builder) => provider;
    }

    private sealed class ReloadableProvider : ConfigurationProvider
    {
        public ReloadableProvider(Dictionary<string, string?> values)
        {
            Data = new Dictionary<string, string?>(values, StringComparer.OrdinalIgnoreCase);
        }

        public new void Set(string key, string? value)
        {
            Data[key] = value;
            OnReload();
        }
    }
}
