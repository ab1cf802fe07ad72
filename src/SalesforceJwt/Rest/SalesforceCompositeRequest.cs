namespace SalesforceJwt.Rest;

/// <summary>
/// A request to the composite resource (<c>POST /composite</c>): up to 25 subrequests run in order, later ones referring
/// to earlier results as <c>@{referenceId.id}</c> in their URL or body.
/// </summary>
public sealed class SalesforceCompositeRequest
{
    /// <summary>The most subrequests Salesforce accepts in one composite request.</summary>
    public const int MaxSubrequests = 25;

    /// <summary>Gets or sets a value indicating whether one failing subrequest rolls back all of them (the others then report <c>PROCESSING_HALTED</c>).</summary>
    /// <value>Defaults to <see langword="false"/>.</value>
    public bool AllOrNone { get; set; }

    /// <summary>Gets the subrequests, in order.</summary>
    public IList<SalesforceCompositeSubrequest> Subrequests { get; } = [];
}
