namespace SalesforceJwt.Diagnostics;

/// <summary>How one check of <see cref="SalesforceJwtDoctor"/> ended, from best to worst.</summary>
public enum SalesforceDoctorOutcome
{
    /// <summary>The check passed.</summary>
    Passed = 0,

    /// <summary>The check could not run, because an earlier check failed or the configuration gives it nothing to check.</summary>
    Skipped = 1,

    /// <summary>The connection works, but something needs attention soon (a certificate about to expire, a paused login).</summary>
    Warning = 2,

    /// <summary>The check failed; the connection does not work until the fix is applied.</summary>
    Failed = 3,
}
