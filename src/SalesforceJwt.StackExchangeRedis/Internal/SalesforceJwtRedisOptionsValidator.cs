using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace SalesforceJwt.StackExchangeRedis.Internal;

/// <summary>Fails start-up with the fix when the options cannot work: no Redis named, timeouts out of range, or no Data Protection to encrypt tokens with.</summary>
internal sealed class SalesforceJwtRedisOptionsValidator(IServiceProvider services) : IValidateOptions<SalesforceJwtRedisOptions>
{
    internal const string DataProtectionMissing =
        "SalesforceJwt.StackExchangeRedis encrypts the tokens it writes to Redis with ASP.NET Core Data Protection, and no " +
        "IDataProtectionProvider is registered. Register one whose key ring every instance of the app shares, for example:\n" +
        "    services.AddDataProtection()\n" +
        "        .SetApplicationName(\"my-app\")\n" +
        "        .PersistKeysToStackExchangeRedis(ConnectionMultiplexer.Connect(\"redis:6379\"), \"DataProtection-Keys\");\n" +
        "(package Microsoft.AspNetCore.DataProtection.StackExchangeRedis), or, if Redis is as trusted as a secret store, " +
        "set SalesforceJwtRedisOptions.ProtectTokens = false to store tokens unencrypted.";

    public ValidateOptionsResult Validate(string? name, SalesforceJwtRedisOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Configuration) && options.ConnectionMultiplexerFactory is null)
        {
            failures.Add("SalesforceJwtRedisOptions needs a Redis to use: set Configuration (such as \"127.0.0.1:6379\") or ConnectionMultiplexerFactory.");
        }

        if (options.KeyPrefix is null)
        {
            failures.Add("SalesforceJwtRedisOptions.KeyPrefix must not be null; use \"\" for no prefix.");
        }

        if (options.OperationTimeout <= TimeSpan.Zero || options.OperationTimeout > TimeSpan.FromMinutes(1))
        {
            failures.Add($"SalesforceJwtRedisOptions.OperationTimeout is {options.OperationTimeout}; it must be more than zero and at most 1 minute.");
        }

        if (options.LockWaitTimeout <= TimeSpan.Zero || options.LockWaitTimeout > TimeSpan.FromMinutes(5))
        {
            failures.Add($"SalesforceJwtRedisOptions.LockWaitTimeout is {options.LockWaitTimeout}; it must be more than zero and at most 5 minutes.");
        }

        if (options.ProtectTokens && services.GetService<IDataProtectionProvider>() is null)
        {
            failures.Add(DataProtectionMissing);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
