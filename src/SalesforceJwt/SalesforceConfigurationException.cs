namespace SalesforceJwt;

/// <summary>A setting of <see cref="SalesforceJwtOptions"/> cannot be used, for example a key file that is missing or not RSA.</summary>
public sealed class SalesforceConfigurationException : SalesforceJwtException
{
    internal SalesforceConfigurationException(string optionName, string message, Exception? innerException = null)
        : base(SalesforceErrorCode.InvalidSigningKey, message, innerException)
    {
        OptionName = optionName;
    }

    /// <summary>Gets the name of the option to fix, as in <see cref="SalesforceJwtOptions"/> and configuration.</summary>
    public string OptionName { get; }

    /// <inheritdoc />
    public override bool IsTransient => false;
}
