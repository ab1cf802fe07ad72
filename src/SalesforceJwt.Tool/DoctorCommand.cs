using System.Collections;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SalesforceJwt.Diagnostics;

namespace SalesforceJwt.Tool;

/// <summary>
/// <c>salesforce-jwt doctor</c>: reads the settings the way a host does (the JSON file, the environment's JSON file,
/// user secrets, then environment variables), registers the connection as the app would, and runs the library's doctor.
/// </summary>
internal static class DoctorCommand
{
    public const int Passed = 0;
    public const int Failed = 1;
    public const int Warnings = 2;
    public const int Usage = 64;

    private const string Help = """
        Usage: salesforce-jwt doctor [options]

        Checks a Salesforce JWT bearer connection: options, key, certificate and its expiry, audience, token endpoint,
        clock, one login, one API call, the identity, and how the session timeout is known. Settings are read like a
        .NET host reads them:
          the --config file, appsettings.{Environment}.json beside it, user secrets, then environment variables
          (Salesforce__ConsumerKey, Salesforce__Username, Salesforce__PrivateKeyPath, ...).

        Options:
          --config PATH           JSON settings file (default: appsettings.json in the current directory, if present)
          --section NAME          configuration section of the connection (default: Salesforce)
          --connection NAME       connection name to register and report (default: Salesforce)
          --environment NAME      also read appsettings.NAME.json (default: DOTNET_ENVIRONMENT, then ASPNETCORE_ENVIRONMENT)
          --user-secrets-id ID    read these user secrets (default: the UserSecretsId of the project in the config's directory)
          --json                  print the report as JSON
          -h, --help              show this help

        Exit code: 0 when every check passed, 2 when everything works but a check needs attention (a certificate about
        to expire, a clock drifting), 1 when a check failed, 64 for a usage error.
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, IDictionary environment, CancellationToken cancellationToken = default)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            await output.WriteLineAsync(Help).ConfigureAwait(false);
            return args.Length == 0 ? Usage : Passed;
        }

        if (args[0] != "doctor")
        {
            await error.WriteLineAsync($"Unknown command '{args[0]}'. Run salesforce-jwt --help.").ConfigureAwait(false);
            return Usage;
        }

        var parsed = Arguments.Parse(args.AsSpan(1).ToArray(), environment);
        if (parsed.Error is not null)
        {
            await error.WriteLineAsync(parsed.Error + " Run salesforce-jwt --help.").ConfigureAwait(false);
            return Usage;
        }

        if (parsed.ShowHelp)
        {
            await output.WriteLineAsync(Help).ConfigureAwait(false);
            return Passed;
        }

        if (parsed.ConfigPath is { } path && !File.Exists(path))
        {
            await error.WriteLineAsync($"The settings file '{path}' does not exist.").ConfigureAwait(false);
            return Usage;
        }

        IConfiguration configuration;
        try
        {
            configuration = BuildConfiguration(parsed, environment);
        }
        catch (Exception ex) when (ex is FileNotFoundException or InvalidDataException or FormatException)
        {
            await error.WriteLineAsync($"The settings could not be read: {ex.Message}").ConfigureAwait(false);
            return Usage;
        }

        var services = new ServiceCollection();
        services.AddSalesforceJwt(parsed.Connection, configuration.GetSection(parsed.Section));
        await using var provider = services.BuildServiceProvider();
        var report = await SalesforceJwtDoctor.RunAsync(provider, parsed.Connection, cancellationToken).ConfigureAwait(false);

        await output.WriteAsync(parsed.Json ? ToJson(report) : report.ToString()).ConfigureAwait(false);
        return report.Outcome switch
        {
            SalesforceDoctorOutcome.Failed => Failed,
            SalesforceDoctorOutcome.Warning => Warnings,
            _ => Passed,
        };
    }

    private static IConfiguration BuildConfiguration(Arguments arguments, IDictionary environment)
    {
        var builder = new ConfigurationBuilder();
        var configPath = arguments.ConfigPath ?? Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json");
        var directory = Path.GetDirectoryName(Path.GetFullPath(configPath))!;
        builder.AddJsonFile(Path.GetFullPath(configPath), optional: arguments.ConfigPath is null);
        if (arguments.Environment is { } name)
        {
            builder.AddJsonFile(Path.Combine(directory, $"appsettings.{name}.json"), optional: true);
        }

        if ((arguments.UserSecretsId ?? FindUserSecretsId(directory)) is { } id)
        {
            builder.AddUserSecrets(id, reloadOnChange: false);
        }

        // The process environment, as a host reads it: Salesforce__ConsumerKey becomes Salesforce:ConsumerKey.
        builder.AddInMemoryCollection(environment.Cast<DictionaryEntry>()
            .Select(e => new KeyValuePair<string, string?>(((string)e.Key).Replace("__", ":", StringComparison.Ordinal), e.Value as string)));
        return builder.Build();
    }

    /// <summary>The UserSecretsId of the one project file beside the settings, as <c>dotnet user-secrets</c> finds it.</summary>
    private static string? FindUserSecretsId(string directory)
    {
        var projects = Directory.Exists(directory) ? Directory.GetFiles(directory, "*.csproj") : [];
        if (projects.Length != 1)
        {
            return null;
        }

        try
        {
            return XDocument.Load(projects[0]).Descendants("UserSecretsId").Select(e => e.Value.Trim()).FirstOrDefault(v => v.Length > 0);
        }
        catch (System.Xml.XmlException)
        {
            return null;
        }
    }

    internal static string ToJson(SalesforceDoctorReport report)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("connection", report.ConnectionName);
            json.WriteString("outcome", Name(report.Outcome));
            json.WriteStartArray("checks");
            foreach (var check in report.Checks)
            {
                json.WriteStartObject();
                json.WriteString("name", check.Name);
                json.WriteString("outcome", Name(check.Outcome));
                json.WriteString("detail", check.Detail);
                json.WriteString("fix", check.Fix);
                json.WriteString("errorCode", check.ErrorCode?.ToString());
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + Environment.NewLine;
    }

    private static string Name(SalesforceDoctorOutcome outcome) => outcome switch
    {
        SalesforceDoctorOutcome.Passed => "passed",
        SalesforceDoctorOutcome.Skipped => "skipped",
        SalesforceDoctorOutcome.Warning => "warning",
        _ => "failed",
    };

    private sealed record Arguments(string? ConfigPath, string Section, string Connection, string? Environment, string? UserSecretsId, bool Json, bool ShowHelp, string? Error)
    {
        public static Arguments Parse(string[] args, IDictionary environment)
        {
            string? config = null, environmentName = null, secrets = null, error = null;
            string section = SalesforceJwtDefaults.ClientName, connection = SalesforceJwtDefaults.ClientName;
            bool json = false, help = false;
            for (var i = 0; i < args.Length && error is null; i++)
            {
                string? Value() => i + 1 < args.Length ? args[++i] : null;
                switch (args[i])
                {
                    case "--config": config = Value() ?? Missing(ref error, "--config"); break;
                    case "--section": section = Value() ?? Missing(ref error, "--section"); break;
                    case "--connection": connection = Value() ?? Missing(ref error, "--connection"); break;
                    case "--environment": environmentName = Value() ?? Missing(ref error, "--environment"); break;
                    case "--user-secrets-id": secrets = Value() ?? Missing(ref error, "--user-secrets-id"); break;
                    case "--json": json = true; break;
                    case "-h" or "--help": help = true; break;
                    default: error = $"Unknown option '{args[i]}'."; break;
                }
            }

            environmentName ??= environment["DOTNET_ENVIRONMENT"] as string ?? environment["ASPNETCORE_ENVIRONMENT"] as string;
            return new Arguments(config, section, connection, environmentName, secrets, json, help, error);
        }

        private static string Missing(ref string? error, string option)
        {
            error = $"{option} needs a value.";
            return string.Empty;
        }
    }
}
