namespace SalesforceJwt;

/// <summary>The base of every exception SalesforceJwt throws. Messages never contain tokens, assertions, keys or passwords.</summary>
public abstract class SalesforceJwtException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="SalesforceJwtException"/> class.</summary>
    /// <param name="code">The stable error code.</param>
    /// <param name="message">What went wrong and how to fix it.</param>
    /// <param name="innerException">The underlying exception, if any.</param>
    private protected SalesforceJwtException(SalesforceErrorCode code, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Code = code;
    }

    /// <summary>Gets the stable error code.</summary>
    public SalesforceErrorCode Code { get; }

    /// <summary>Gets a value indicating whether trying again later may succeed without any change of configuration.</summary>
    public abstract bool IsTransient { get; }
}
