namespace SalesforceJwt.Diagnostics;

/// <summary>One check of a <see cref="SalesforceDoctorReport"/>: what was checked, how it ended, what was seen and what to do.</summary>
public sealed class SalesforceDoctorCheck
{
    internal SalesforceDoctorCheck(string name, SalesforceDoctorOutcome outcome, string detail, string? fix = null, SalesforceErrorCode? errorCode = null)
    {
        Name = name;
        Outcome = outcome;
        Detail = detail;
        Fix = fix;
        ErrorCode = errorCode;
    }

    /// <summary>Gets the check's stable name, such as <c>options</c>, <c>certificate expiry</c> or <c>login</c>.</summary>
    public string Name { get; }

    /// <summary>Gets how the check ended.</summary>
    public SalesforceDoctorOutcome Outcome { get; }

    /// <summary>Gets what was found, in one or two sentences. Never contains a token, assertion, key or password.</summary>
    public string Detail { get; }

    /// <summary>Gets what to change, when the check did not pass; otherwise <see langword="null"/>.</summary>
    public string? Fix { get; }

    /// <summary>Gets the typed error behind a failure or warning, when there was one.</summary>
    public SalesforceErrorCode? ErrorCode { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Name}: {Outcome}: {Detail}" + (Fix is null ? string.Empty : $" Fix: {Fix}");
}
