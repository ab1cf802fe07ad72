using SalesforceJwt.Internal;

namespace SalesforceJwt;

/// <summary>A setting of <see cref="SalesforceJwtOptions"/> cannot be used, for example a key file that is missing or not RSA.</summary>
public sealed class SalesforceConfigurationException : SalesforceJwtException
{
    /// <summary>
    /// Initializes a new instance of the <see cref="SalesforceConfigurationException"/> class; public so that
    /// applications can test their own handling of it. Its <see cref="SalesforceJwtException.Code"/> is
    /// <see cref="SalesforceErrorCode.InvalidSigningKey"/>, as for every configuration error the library throws.
    /// </summary>
    /// <param name="optionName">The name of the option to fix, such as <c>PrivateKeyPath</c>.</param>
    /// <param name="message">What is wrong and how to fix it, used as given.</param>
    /// <param name="innerException">The underlying exception, if any.</param>
    /// <exception cref="ArgumentNullException"><paramref name="optionName"/> is <see langword="null"/>.</exception>
    public SalesforceConfigurationException(string optionName, string message, Exception? innerException = null)
        : base(SalesforceErrorCode.InvalidSigningKey, message, innerException)
    {
        Guard.NotNull(optionName);
        OptionName = optionName;
    }

    /// <summary>Gets the name of the option to fix, as in <see cref="SalesforceJwtOptions"/> and configuration.</summary>
    public string OptionName { get; }

    /// <inheritdoc />
    public override bool IsTransient => false;
}
