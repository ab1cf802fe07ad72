using System.Text;

namespace SalesforceJwt.Diagnostics;

/// <summary>What <see cref="SalesforceJwtDoctor"/> found for one connection: every check in the order it ran.</summary>
public sealed class SalesforceDoctorReport
{
    internal SalesforceDoctorReport(string connectionName, IReadOnlyList<SalesforceDoctorCheck> checks)
    {
        ConnectionName = connectionName;
        Checks = checks;
        // A skipped check is not a problem of its own: the check that made it skip says what is.
        Outcome = checks.Select(c => c.Outcome == SalesforceDoctorOutcome.Skipped ? SalesforceDoctorOutcome.Passed : c.Outcome)
            .DefaultIfEmpty(SalesforceDoctorOutcome.Passed).Max();
    }

    /// <summary>Gets the name of the connection that was checked.</summary>
    public string ConnectionName { get; }

    /// <summary>Gets the checks, in the order they ran.</summary>
    public IReadOnlyList<SalesforceDoctorCheck> Checks { get; }

    /// <summary>Gets the worst outcome of any check: <see cref="SalesforceDoctorOutcome.Passed"/>, <see cref="SalesforceDoctorOutcome.Warning"/> or <see cref="SalesforceDoctorOutcome.Failed"/> (a skipped check counts as passed; the check that made it skip says what is wrong).</summary>
    public SalesforceDoctorOutcome Outcome { get; }

    /// <summary>Gets a value indicating whether every check passed or was skipped, with no warning and no failure.</summary>
    public bool Passed => Outcome == SalesforceDoctorOutcome.Passed;

    /// <summary>Returns the report as text, one line a check and an indented line with each fix, as the command-line tool prints it.</summary>
    /// <returns>The report as text.</returns>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append("SalesforceJwt doctor, connection '").Append(ConnectionName).AppendLine("'");
        foreach (var check in Checks)
        {
            var label = check.Outcome switch
            {
                SalesforceDoctorOutcome.Passed => "ok  ",
                SalesforceDoctorOutcome.Skipped => "skip",
                SalesforceDoctorOutcome.Warning => "warn",
                _ => "FAIL",
            };
            text.Append("  ").Append(label).Append("  ").Append(check.Name).Append(": ").AppendLine(check.Detail);
            if (check.Fix is not null)
            {
                text.Append("        fix: ").AppendLine(check.Fix);
            }
        }

        var failed = Checks.Count(c => c.Outcome == SalesforceDoctorOutcome.Failed);
        var warned = Checks.Count(c => c.Outcome == SalesforceDoctorOutcome.Warning);
        text.AppendLine(failed > 0
            ? $"{failed} check(s) failed; see above for the cause and the fix."
            : warned > 0 ? $"Everything works; {warned} check(s) need attention." : "Everything passed.");
        return text.ToString();
    }
}
